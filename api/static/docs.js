"use strict";
// The API docs page: /openapi.json laid out as tables; every text goes in with textContent.
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
