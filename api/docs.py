"""A browsable page of the OpenAPI document that works offline: no script or style from elsewhere."""

DOCS_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Contested gazetteer API</title>
<style>
body{font:15px/1.45 system-ui,sans-serif;max-width:62rem;margin:2rem auto;padding:0 1rem;color:#222}
h2{margin-top:2rem;border-bottom:1px solid #ccc}code{background:#f3f3f3;padding:0 .2rem}
.op{margin:1rem 0;padding:.5rem .8rem;border-left:4px solid #4a7}.m{font-weight:bold;text-transform:uppercase}
table{border-collapse:collapse;font-size:14px}td,th{border:1px solid #ddd;padding:.2rem .4rem;text-align:left}
pre{background:#f6f6f6;padding:.5rem;overflow:auto;max-height:18rem}
</style></head><body>
<h1>Contested gazetteer API</h1>
<p>The machine-readable document is <a href="/openapi.json"><code>/openapi.json</code></a> (OpenAPI 3.1).
Errors are <code>application/problem+json</code> (RFC 9457).</p>
<div id="intro"></div><div id="ops">Loading /openapi.json&hellip;</div>
<script>
function el(tag, text, cls){const e=document.createElement(tag); if(text!==undefined) e.textContent=text;
  if(cls) e.className=cls; return e;}
fetch('/openapi.json').then(r=>r.json()).then(doc=>{
  document.getElementById('intro').appendChild(el('p', doc.info.description));
  const ops=document.getElementById('ops'); ops.textContent='';
  const byTag={};
  for(const [path, item] of Object.entries(doc.paths)) for(const [method, op] of Object.entries(item))
    (byTag[op.tags[0]] = byTag[op.tags[0]] || []).push([path, method, op]);
  for(const [tag, list] of Object.entries(byTag)){
    ops.appendChild(el('h2', tag));
    for(const [path, method, op] of list){
      const box=el('div', undefined, 'op'); box.id=op.operationId;
      const head=el('div'); head.appendChild(el('span', method+' ', 'm')); head.appendChild(el('code', path));
      box.appendChild(head); box.appendChild(el('p', op.summary));
      if(op.parameters.length){
        const t=el('table'); const hr=el('tr');
        for(const h of ['parameter','in','type','required','description']) hr.appendChild(el('th', h));
        t.appendChild(hr);
        for(const p of op.parameters){ const tr=el('tr');
          const s=p.schema; let type=s.type + (s.enum? ' ('+s.enum.join(' | ')+')':'')
            + (s.minimum!==undefined? ' ≥ '+s.minimum:'') + (s.maximum!==undefined? ' ≤ '+s.maximum:'')
            + (s.default!==undefined? ', default '+s.default:'');
          for(const v of [p.name, p.in, type, p.required?'yes':'', p.description||'']) tr.appendChild(el('td', v));
          t.appendChild(tr);}
        box.appendChild(t);}
      if(op.requestBody){ box.appendChild(el('p','JSON body:'));
        box.appendChild(el('pre', JSON.stringify(op.requestBody.content['application/json'].schema, null, 2)));}
      ops.appendChild(box);}
  }
}).catch(e=>{document.getElementById('ops').textContent='Could not load /openapi.json: '+e;});
</script></body></html>
"""
