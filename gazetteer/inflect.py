"""Base forms of place names as they appear inflected in running text ("w Krakowie" -> "Kraków").

The tagger finds names by exact lookup; a name in a case other than the nominative ("Krakowie",
"Београду", "Helsingissä", "თბილისში") is missed. ``lemmas`` proposes the nominatives a word can come
from, by rules taken from each language's grammar: a rule is a (case ending, nominative ending) pair
applied to the end of the word, longest ending first, followed by the few stem alternations the
language has at that spot (Polish o/ó, Ukrainian о/е/і, Finnish consonant gradation, Hungarian á/a).
The rules over-generate on purpose: "Warszawy" also gives "Warszaw". The lookup in the name index
decides, so a candidate only counts when it is a real name; the rules are the standard endings of
each language so that what they propose is plausible and testable, nothing learned from data.

``strip_clitics`` does the same for scripts that write short words onto the name: Hebrew prefixes
(בתל אביב), Arabic proclitics and the article (والموصل) and Korean particles (서울에서).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from itertools import product

Rule = tuple[str, str]  # (case ending, nominative ending)
Alternation = Callable[[str], list[str]]  # a candidate -> the candidates it stands for, most likely first


def _rules(*groups: str) -> tuple[Rule, ...]:
    """Rules written "ending>replacement" (an empty replacement drops the ending), longest ending first."""
    pairs = [item.partition(">")[::2] for group in groups for item in group.split()]
    return tuple(sorted(pairs, key=lambda rule: -len(rule[0])))


# -- West Slavic -----------------------------------------------------------------------------------
_PL = _rules(
    # adjectival names (Zielona Góra, Nowy Sącz, Nowa Huta): gen./dat. m. -ego/-emu, loc./instr. -ym/-im,
    # gen./dat./loc. f. -ej, instr. f. -ą
    "ego>y ego>e kiego>ki giego>gi emu>y ym>y im>i ej>a iej>a",
    # masculine (Kraków, Gdańsk, Poznań): gen. -a/-u, dat. -owi, instr. -em, loc. -ie/-u; before the -ie of the
    # locative t d r ł st sł zd soften (Sopot -> Sopocie); soft stems keep -i- (Poznań -> Poznaniu, Wrocław -> Wrocławia)
    "a> u> owi> em> iem> ie> cie>t dzie>d rze>r le>ł ście>st śle>sł ia> iu> nia>ń niu>ń niem>ń ni>ń",
    "cia>ć ciu>ć dzi>dź dzia>dź dziu>dź si>ś zi>ź ca>iec cu>iec cem>iec ca>ec cu>ec",
    # feminine -a (Warszawa, Gdynia, Rosja, Praga): gen. -y/-i, dat./loc. -e with the same softening
    # (Praga -> Pradze, Ameryka -> Ameryce), acc. -ę, instr. -ą; feminine in a consonant (Bydgoszcz, Kazań): -y/-i
    "y>a i>a i>ia ji>ja ii>ia ie>a ę>a ą>a ce>ka dze>ga sze>cha cie>ta dzie>da rze>ra le>ła ście>sta y>",
    # neuter -o/-e (Gniezno, Opole, Bielsko): gen. -a, loc. -ie/-u, instr. -em
    "a>o a>e u>o u>e ie>o em>o em>e",
    # plural names (Katowice, Suwałki; Wyspy Kurylskie): gen. -, loc. -ach, instr. -ami; plural adjectives
    # gen./loc. -ich/-ych, dat. -im/-ym, instr. -imi/-ymi
    "ach>e ach>y ach>i ami>e ami>y ic>ice ich>ie ych>e im>ie ym>e imi>ie ymi>e",
)
_CS = _rules(
    # adjectival names (Kutná Hora, Nové Město, Karlovy Vary): gen. -ého/-é, dat. -ému/-é, loc. -ém/-é,
    # instr. -ým/-ou, plural -ých
    "ého>ý ého>é ému>ý ém>ý ém>é ým>ý ým>é ých>é ých>y ých>ý é>á ou>á",
    # masculine (Zlín, Tábor, Hradec): gen. -a/-u, dat. -u/-ovi, loc. -ě/-e/-u (r -> ř), instr. -em;
    # the e of -ec/-ek drops (Hradec -> Hradce, Písek -> Písku), and of -eň (Plzeň -> Plzně)
    "a> u> e> ě> em> ovi> ře>r ce>ec ci>ec cem>ec ku>ek ka>ek kem>ek ně>eň ni>eň",
    # feminine (Praha, Ostrava): gen. -y, dat./loc. -ě/-e with h -> z, g -> z, k -> c, r -> ř, ch -> š; acc. -u, instr. -ou
    "y>a ě>a e>a u>a ou>a i>a ze>ha ze>ga ce>ka ře>ra še>cha",
    # feminine -ie (Francie, Itálie, Británie): dat./loc./acc. -ii, instr. -ií
    "ii>ie ií>ie",
    # neuter (Brno, Labe): gen. -a, dat. -u, loc. -ě/-u, instr. -em; plurals (Budějovice, Vary): gen. -, loc. -ích/-ech
    "a>o ě>o u>o em>o em>e i>e ích>e ech>y ů>y ic>ice ami>e ami>y",
)
_SK = _rules(
    # adjectival names (Banská Bystrica, Nové Zámky): gen. -ého/-ej, dat. -ému/-ej, loc. -om/-ej, acc. f. -ú, pl. -ých
    "ého>ý ého>é ému>ý om>ý om>é ej>á ou>á ú>á ým>ý ých>é ých>y",
    # masculine (Prešov, Poprad, Lučenec): gen. -a/-u, dat. -u, loc. -e/-u, instr. -om; -ec loses its e
    "a> u> e> om> ovi> ca>ec ci>ec com>ec",
    # feminine (Bratislava, Bystrica): gen. -y/-e, dat./loc. -e/-i, acc. -u, instr. -ou; neuter gen. -a, loc. -e/-u
    "y>a e>a i>a u>a ou>a a>o e>o u>o om>o",
    # plural names (Košice, Michalovce, Piešťany): gen. -íc/-iec, loc. -iach/-och/-ách, instr. -ami
    "íc>ice iec>ce iach>e och>y ách>y ami>e ami>y",
)

# -- South Slavic ----------------------------------------------------------------------------------
_SH_LATIN = " ".join((
    # adjectives (Novi Sad, Banja Luka, Hrvatska): gen. m./n. -og(a), dat./loc. -om(e), gen. f. -e, dat./loc. f. -oj
    "og>i oga>i om>i omu>i ome>i og>o oj>a",
    # masculine (Beograd, Zagreb, Niš): gen. -a, dat./loc. -u, instr. -om/-em; the a of -ac/-ak/-ar drops
    # (Kragujevac -> Kragujevca, Čačak -> Čačku, Zadar -> Zadru)
    "a> u> om> em> ca>ac cu>ac cem>ac ka>ak ku>ak kom>ak ra>ar ru>ar rom>ar",
    # neuter (Sarajevo, Skoplje): gen. -a, dat./loc. -u, instr. -om/-em
    "a>o u>o om>o a>e u>e em>e",
    # feminine (Srbija, Tuzla, Rijeka): gen. -e, dat./loc. -i with k g h -> c z s (Rijeka -> Rijeci), acc. -u,
    # instr. -om; plural names (Vinkovci): loc. -ima
    "e>a i>a u>a om>a ci>ka zi>ga si>ha ima>i",
))
_SH = _rules(_SH_LATIN, _SH_LATIN.translate(str.maketrans("aeioumjgckzhsr", "аеиоумјгцкзхср")))
# Bulgarian has lost the cases; names carry the definite article: -та (f.), -ът/-а and -ят/-я (m.),
# -то (n.), -те (pl.): София -> Софията, Пловдив -> Пловдивът, Бургас -> Бургаса
_BG = _rules("та> ът> ят> то> те> а> я>")
# Macedonian: three articles, -от/-ов/-он (m.), -та/-ва/-на (f.), -то/-во/-но (n.), -те/-ве/-не (pl.)
_MK = _rules("от> ов> он> та> ва> на> то> во> но> те> ве> не>")

# -- East Slavic -----------------------------------------------------------------------------------
_RU = _rules(
    # adjectives (Нижний Новгород, Донецкая, Красноярский): gen. -ого/-его, dat. -ому/-ему, instr. -ым/-им,
    # prep. -ом/-ем; feminine -ой/-ей in every oblique case, acc. -ую/-юю
    "ого>ый ого>ий ого>ой ого>ое его>ий его>ее ому>ый ому>ий ому>ой ему>ий ым>ый ым>ое им>ий",
    "ом>ый ом>ое ем>ий ем>ее ой>ая ой>ий ей>яя ую>ая юю>яя",
    # masculine (Киев, Новгород; Ярославль; Бахчисарай): gen. -а/-я, dat. -у/-ю, instr. -ом/-ем, prep. -е
    "а> у> ом> е> я>ь ю>ь ем>ь е>ь я>й ю>й ем>й е>й",
    # feminine -а/-я/-ия/-ь (Москва, Калуга, Россия, Тверь): gen. -ы/-и, dat./prep. -е/-и, acc. -у/-ю, instr. -ой/-ей/-ью
    "ы>а и>а е>а у>а ой>а ою>а и>я е>я ю>я ей>я ии>ия ию>ия ией>ия и>ь ью>ь",
    # neuter -о/-е/-ье/-ие (Иваново, Подмосковье): gen. -а/-я, dat. -у/-ю, instr. -ом/-ем, prep. -е/-и
    "а>о у>о ом>о е>о ья>ье ью>ье ьем>ье ия>ие ию>ие ием>ие ии>ие",
    # plural names (Черновцы, Чебоксары, Великие Луки; Курильские острова): gen. -ов/-, dat. -ам, instr. -ами,
    # prep. -ах/-ях, of nouns in -ы/-и/-а and of adjectives in -ые/-ие
    "ах>ы ах>и ях>и ов>ы ам>ы ами>ы ах>а ов>а ами>а их>ие ых>ые им>ие ым>ые ими>ие ыми>ые",
)
_UK = _rules(
    # adjectives: gen. -ого/-ього, dat. -ому, loc. -ому/-ім, instr. -им/-ім; feminine gen. -ої, dat./loc. -ій, instr. -ою
    "ого>ий ому>ий ім>ий им>ий ього>ій ьому>ій ім>ій ої>а ій>а ьої>я ій>я ою>а",
    # masculine (Київ, Львів, Луганськ, Тернопіль): gen. -а/-у/-я, dat. -ові/-у, instr. -ом/-ем/-єм,
    # loc. -і/-ові/-у; the і of the closed last syllable is о/е/є before an ending (Львів -> Львова)
    "а> у> ом> ем> єм> і> ові> еві> єві> я>ь ю>ь ем>ь і>ь я>й ю>й єм>й ї>й",
    # feminine (Одеса, Вінниця, Росія): gen. -и/-і, dat./loc. -і, acc. -у/-ю, instr. -ою/-ею/-єю
    "и>а і>а у>а і>я ю>я ею>я ії>ія ію>ія ією>ія",
    # neuter (Дніпро: gen. -а, loc. -і; Запоріжжя declines like a feminine -я) and plural names (Чернівці, Суми):
    # gen. -ів, loc. -ах/-ях
    "а>о у>о ом>о і>о ів>і ах>и ях>і ам>и ями>і ами>и",
    # plural adjectives (Курильські острови): gen./loc. -их, dat. -им, instr. -ими
    "их>і им>і ими>і",
)
_BE = _rules(
    # adjectives: gen. -ага, dat. -аму, instr./loc. -ым/-ім; feminine -ай/-ой, acc. -ую
    "ага>ы ага>і аму>ы аму>і ым>ы ім>і ай>ая ой>ая ую>ая",
    # masculine (Мінск, Гомель, Брэст, Магілёў): gen. -а/-я, dat./loc. -у/-е/-і, instr. -ам/-ем;
    # ст -> сц before -е (Брэсце), ў -> в before a vowel (Магілёва)
    "а> у> ам> ом> е> я>ь ю>ь ем>ь ём>ь і>ь сце>ст ва>ў ве>ў ву>ў вам>ў",
    # feminine and neuter -а (Орша, Гродна): gen. -ы/-і, dat./loc. -е/-ы/-і, acc. -у, instr. -ой/-ай/-аю
    "ы>а і>а е>а у>а ай>а ой>а аю>а",
)

# -- Greek, Georgian, Albanian ---------------------------------------------------------------------
# Greek: genitive of -α/-η feminines -ας/-ης (Αθήνα -> Αθήνας); of -ος masculines -ου (Κύπρος -> Κύπρου), of -ας/-ης
# masculines -α/-η (Πειραιάς -> Πειραιά); accusative -ο of -ος; neuter -ο/-ι -> -ου/-ιού, -ος -> -ους;
# genitive plural -ών/-ων (Σέρρες -> Σερρών, Χανιά -> Χανίων, Δελφοί -> Δελφών). The accent may move; the folded
# lookup ignores accents.
_EL = _rules(
    "ας>α άς>ά ης>η ής>ή α>ας ά>άς η>ης ή>ής ου>ος ου>ο ού>ός ού>ό ο>ος ό>ός ους>ος ιού>ι ίου>ι",
    "ών>ές ών>ά ών>οί ων>α ων>ες ων>οι",
)
# Georgian: the nominative -ი of consonant stems drops before dative -ს, genitive -ის, instrumental -ით, adverbial -ად,
# ergative -მა and the postpositions -ში (in), -ზე (on), -თან (at), -დან (from, on the instrumental: -იდან),
# -მდე (up to, on the adverbial: -ამდე), -თვის/-კენ (for/towards, on the genitive: -ისთვის, -ისკენ).
# Vowel stems (გაგრა, ბაქო) keep the vowel and add -ს -ში -ზე -თან -დან -მდე -თი -დ -მ; -ა drops in -ის -ით.
_KA = _rules(
    # the dative -ს takes an -ა before და "and" in a list (ცხინვალსა და სოხუმს)
    "ისთვის>ი ისკენ>ი იდან>ი ამდე>ი ში>ი ზე>ი თან>ი ის>ი ით>ი ად>ი მა>ი ს>ი სა>ი",
    "ისთვის>ა ისკენ>ა იდან>ა ის>ა ით>ა სთვის> დან> მდე> ში> ზე> თან> თი> ს> დ> მ>",
)
# Albanian: names are cited indefinite (Tiranë, Shqipëri) or definite (Tirana, Shqipëria). Feminine gen./dat./abl.
# definite -s (Tiranës, Shqipërisë), acc. -n (Tiranën); the ë of -ër drops (Shkodër -> Shkodra, Shkodrës);
# masculine definite nom. -i/-u, gen./dat./abl. -it/-ut, acc. -in/-un (Durrës -> Durrësi, Durrësit).
_SQ = _rules(
    "isë>i isë>ia inë>i inë>ia ia>i ës>ë ës>a ën>ë ën>a rës>ër rën>ër ra>ër a>ë ë>a",
    "it> in> i> ut> un> u>",
)

# -- Hungarian, Finnish, Estonian ------------------------------------------------------------------
# Hungarian cases are suffixes in two or three harmonic forms: inessive -ban/-ben, illative -ba/-be, elative
# -ból/-ből, superessive -n/-on/-en/-ön, sublative -ra/-re, delative -ról/-ről, adessive -nál/-nél, allative
# -hoz/-hez/-höz, ablative -tól/-től, terminative -ig, dative -nak/-nek, instrumental -val/-vel (assimilated:
# Budapesttel), accusative -t/-ot/-et/-öt/-at, causal -ért, town locative -ott/-ett/-ött (Pécsett), adjective -i.
# A final a/e lengthens before a suffix (Moszkva -> Moszkvában).
_HU = _rules(
    "ban> ben> ba> be> ból> ből> on> en> ön> n> ra> re> ról> ről> nál> nél> hoz> hez> höz> tól> től> ig>",
    "nak> nek> val> vel> al> el> ott> ett> ött> t> ot> et> öt> at> ért> i>",
)
# Finnish: inessive -ssa, elative -sta, adessive -lla, ablative -lta, allative -lle, essive -na, translative -ksi,
# genitive -n, partitive -a/-ta, illative (vowel lengthened + n, or -seen/-hVn); front-vowel forms with ä.
# They attach to the oblique stem, which may show weak grade (Helsinki -> Helsingissä, Turku -> Turussa),
# -e- for -i (Suomi -> Suomessa) or -ee- for -e (Tampere -> Tampereella).
_FI = _rules(
    "ssa> ssä> sta> stä> lla> llä> lta> ltä> lle> na> nä> ksi> n> a> ä> ta> tä> seen> han> hän> hin> hen> hon> hun>",
    "aan>a ään>ä een>e iin>i oon>o uun>u yyn>y öön>ö",
)
# Estonian: inessive -s, elative -st, illative -sse, adessive -l, ablative -lt, allative -le, comitative -ga,
# terminative -ni, essive -na, abessive -ta, translative -ks, all on the genitive stem, which for consonant-final
# names adds a vowel (Tallinn -> Tallinna -> Tallinnas); the genitive itself is that stem.
_ET = _rules("sse> st> s> lt> le> l> ga> ni> na> ta> ks> a> e> i> u>")

# -- Baltic ----------------------------------------------------------------------------------------
# Latvian: -a feminines (Rīga): gen. -as, dat. -ai, acc. -u, loc. -ā; -s masculines (Tukums): gen. -a, dat. -am, acc. -u,
# loc. -ā; -s feminines of the 6th declension (Daugavpils, Ventspils): dat. -ij, acc. -i, loc. -ī; -e feminines (Rēzekne):
# gen. -es, dat. -ei, acc. -i, loc. -ē; -is (2nd declension); plurals Cēsis (loc. -īs, gen. -u) and Talsi (loc. -os).
_LV = _rules(
    "ā>a as>a ai>a u>a ā>s a>s am>s u>s ī>s ij>s i>s ī>is a>is am>is u>is",
    "ē>e es>e ei>e i>e īs>is u>is os>i u>i iem>i",
)
# Lithuanian: -as (Kaunas): gen. -o, dat. -ui, acc. -ą, instr. -u, loc. -e; -ius (Vilnius): gen. -iaus, dat. -iui, acc. -ių,
# loc. -iuje; -ys (Panevėžys): gen. -io, loc. -yje, acc. -į; -us (Alytus): gen. -aus, loc. -uje; -a (Klaipėda): gen. -os,
# dat. -ai, acc. -ą, loc. -oje; -ė (Marijampolė): gen. -ės, dat. -ei, acc. -ę, loc. -ėje; plurals -ai/-iai (Trakai, Šiauliai).
_LT = _rules(
    "o>as ui>as ą>as u>as e>as iaus>ius iui>ius ių>ius iumi>ius iuje>ius io>ys iui>ys į>ys yje>ys aus>us uje>us",
    # -is masculines (Sevastopolis): gen. -io, dat. -iui, acc. -į, instr. -iu, loc. -yje
    "io>is iui>is į>is iu>is yje>is",
    "os>a ai>a ą>a oje>a ės>ė ei>ė ę>ė ėje>ė ų>ai uose>ai ams>ai ių>iai iuose>iai iams>iai",
)

# -- Slovene and Romanian ----------------------------------------------------------------------------
# Slovene: feminine -a (Ljubljana, Moskva): gen. -e, dat./loc. -i, acc./instr. -o; masculine (Maribor, Kijev): gen. -a,
# dat./loc. -u, instr. -om/-em, the e of -ec drops (Gradec -> Gradca); neuter -o/-e (Sarajevo, Celje): gen. -a,
# loc. -u, instr. -om/-em; plurals in -e/-i (Jesenice, Benetke): loc. -ah.
_SL = _rules(
    "e>a i>a o>a a> u> om> em> ca>ec cu>ec cem>ec a>o u>o om>o a>e u>e em>e ah>e ah>i",
)
# Romanian writes the definite article on the end of a name: masculine and neuter nom./acc. -ul, gen./dat. -ului
# (Tiraspolul, Harkovului; after -u only -l/-lui: Chișinăul, Chișinăului); feminine -a names take gen./dat. -ei
# (Ucraina -> Ucrainei, Moldova -> Moldovei, Crimeea -> Crimeei).
_RO = _rules("ul> ului> ul>u ului>u ei>a eei>eea")
# -- Kazakh and Uzbek ---------------------------------------------------------------------------------------------
# Kazakh writes its case endings on the name (vowel harmony and the last sound choose the form; not checked):
# dative -ға/-ге/-қа/-ке, locative -да/-де/-та/-те, ablative -дан/-ден/-тан/-тен/-нан/-нен, genitive -ның/-нің/-дың/
# -дің/-тың/-тің, accusative -ны/-ні/-ды/-ді/-ты/-ті, instrumental -мен/-бен/-пен, and -дағы/-дегі "that is in"
# (Украинаға, Қазақстанда, Ресейдің).
_KK = _rules(
    "ға> ге> қа> ке> да> де> та> те> дан> ден> тан> тен> нан> нен> ның> нің> дың> дің> тың> тің>",
    "ны> ні> ды> ді> ты> ті> мен> бен> пен> дағы> дегі> тағы> тегі>",
)
# Uzbek, in Latin and Cyrillic letters: dative -ga/-ka/-qa, locative -da, ablative -dan, genitive -ning, accusative
# -ni, -dagi "that is in" (Ukrainaga, Toshkentda, Rossiyaning).
_UZ = _rules("ga> ka> qa> da> dan> ning> ni> dagi> га> ка> қа> да> дан> нинг> ни> даги>")
# -- Indian languages that write their case markers on the name ------------------------------------------------
# Marathi: ergative -ने, dative -ला, locative -त/-मध्ये, on -वर, genitive -चा/-ची/-चे/-च्या, from -हून/-पासून, with
# -शी, for -साठी, towards -कडे; a consonant-final name takes the oblique -ा before them (भारत -> भारताने, भारतात).
_MR = _rules(
    "ने> ला> त> मध्ये> वर> चा> ची> चे> च्या> हून> पासून> शी> साठी> कडे> तील> ातील>",
    "ाने> ाला> ात> ाच्या> ाचा> ाची> ाचे> ावर> ाशी> ाहून> ाकडे> ासाठी>",
)
# Bengali: genitive -র/-এর, locative -এ/-তে, objective -কে (ভারতের, রাশিয়ার, ইউক্রেনে, ঢাকায়).
_BN = _rules("ের> র> ে> তে> েতে> কে> য়> য়ের> য়ে> এ> এর>")
# Tamil: the case suffixes join the name, a final -ம் or the virama giving way (உக்ரைன் -> உக்ரைனில், உக்ரைனை,
# உக்ரைனுக்கு, உக்ரைனின்); after a vowel -வில், -வுக்கு, -வின் (இந்தியாவில்), but after -இ, -ஈ, -எ, -ஏ and -ஐ
# the glide is ய், and the dative is -க்கு (சென்னையில், டெல்லியின், சென்னைக்கு); -த் is the sandhi before a
# hard consonant (உக்ரைனைத்).
_TA = _rules(
    "ில்>் ை>் ைத்>் ுக்கு>் ின்>் ால்>் ோடு>் ிடம்>் ிலிருந்து>் ுடன்>்",
    "வில்> வை> வைத்> வுக்கு> வின்> வால்> வோடு> விடம்> விலிருந்து> வுடன்>",
    "யில்> யை> யைத்> க்கு> யின்> யால்> யோடு> யிடம்> யிலிருந்து> யுடன்>",
)
# Gujarati: locative -માં, dative/accusative -ને, genitive -નો/-ની/-નું/-ના, ablative -થી, ergative -એ.
_GU = _rules("માં> ને> નો> ની> નું> ના> થી> એ> ે>")
# Swedish, Danish, Norwegian and Dutch write the genitive with -s and no apostrophe (Rysslands, Norges, Kyivs):
# "s>" alone, which many names also end with, so that its readings are taken only for well-known places (see
# ``Tagger._find_forms``).
_GENITIVE_S = _rules("s>")
GENITIVE_S_LANGUAGES = frozenset(["sv", "da", "nb", "nn", "no", "nl"])

# -- stem alternations (on a candidate, lower-case; the candidate itself is kept) -----------------------
_PL_O = re.compile(r"o(w|dź|dz|d|rz|r|ł|l|b|g|ż|ź|z)$")
_UK_I = re.compile(r"([оеє])([бвгґджзклмнпрстфхцчшщ]ь?)$")
_FI_STEM = re.compile(r"(.*[aeiouyäö])([^aeiouyäö]*)([aeiouyäö])$")
# Finnish consonant gradation, weak grade -> strong grade (the nominative is strong): Helsingi- -> Helsinki
_FI_GRADES = (("ng", "nk"), ("mm", "mp"), ("nn", "nt"), ("ll", "lt"), ("rr", "rt"), ("d", "t"), ("v", "p"),
              ("k", "kk"), ("p", "pp"), ("t", "tt"))
_HU_DOUBLED = re.compile(r"([bcdfghjklmnprstvz])\1$")


def _polish(form: str) -> list[str]:
    """o -> ó in the closed last syllable before a voiced consonant: Krakowa -> Kraków, Łodzi -> Łódź."""
    match = _PL_O.search(form)
    return [form[: match.start()] + "ó" + match.group(1), form] if match else [form]


def _ukrainian(form: str) -> list[str]:
    """о/е -> і, є -> ї in the closed last syllable: Львова -> Львів, Києва -> Київ, Тернополя -> Тернопіль."""
    match = _UK_I.search(form)
    if not match:
        return [form]
    return [form[: match.start()] + ("ї" if match.group(1) == "є" else "і") + match.group(2), form]


def _finnish(form: str) -> list[str]:
    """The nominative of an oblique stem: -ee -> -e, -e -> -i, then weak -> strong grade of the last consonants."""
    stems = [form[:-1]] if form.endswith("ee") else [form]
    if re.search(r"[^aeiouyäö]e$", form):
        stems.append(form[:-1] + "i")  # Suome- -> Suomi, Lahde- -> Lahdi -> Lahti
    out: list[str] = []
    for stem in stems:
        out.append(stem)
        match = _FI_STEM.fullmatch(stem)
        if not match:
            continue
        head, cluster, vowel = match.groups()
        out += [head + cluster[: -len(weak)] + strong + vowel for weak, strong in _FI_GRADES if cluster.endswith(weak)]
        if cluster in ("", "r", "l", "h"):
            out.append(head + cluster + "k" + vowel)  # k -> nothing: Turku -> Turu-
    return out


def _hungarian(form: str) -> list[str]:
    """Undo the lengthening of a final a/e (Moszkvá- -> Moszkva) and the assimilation of -val/-vel (Budapestt-)."""
    if form[-1:] in ("á", "é"):
        return [form[:-1] + {"á": "a", "é": "e"}[form[-1]], form]
    return [form[:-1], form] if _HU_DOUBLED.search(form) else [form]


def _estonian(form: str) -> list[str]:
    """The genitive stem of a consonant-final name ends in a vowel that the nominative lacks: Tallinna- -> Tallinn."""
    return [form, form[:-1]] if re.search(r"[^aeiouõäöü][aeiu]$", form) else [form]


_NO_SOFT_SIGN = {"ru": re.compile(r"[аеёиоуыэюя]ь$|[кгх]ь$"), "uk": re.compile(r"[аеиоуюяіїє]ь$|[кгхбпвмф]ь$"),
                 "be": re.compile(r"[аеёіоуыэюя]ь$|[кгхбпвмф]ь$")}


def _east_slavic(language: str) -> Alternation:
    """Spelling: й only after a vowel, ь not after a vowel or a velar (nor a labial in Ukrainian and Belarusian);
    к г х take и/і, not ы (Камчатском -> Камчатский, not Камчатскый)."""
    def alternate(form: str) -> list[str]:
        if re.search(r"[^аеёиоуыэюяіїє]й$", form) or _NO_SOFT_SIGN[language].search(form):
            return []
        form = re.sub(r"([кгх])ы(й?)$", r"\1" + ("і" if language == "be" else "и") + r"\2", form)
        return _ukrainian(form) if language == "uk" else [form]
    return alternate


def _georgian(form: str) -> list[str]:
    """The nominative -ი follows a consonant; a vowel stem keeps its vowel (გაგრაში -> გაგრა, not გაგრაი)."""
    return [] if re.search(r"[აეიოუ]ი$", form) else [form]


def _greek(form: str) -> list[str]:
    return [form[:-1] + "ς" if form.endswith("σ") else form]


# -- Azerbaijani and Armenian ------------------------------------------------------------------------
# Azerbaijani writes its case endings on a name without an apostrophe (Turkish sets them off: Paris'e, found
# as the name): locative -da/-də, ablative -dan/-dən (-ta/-tan after a voiceless consonant), dative -a/-ə
# (-ya/-yə after a vowel), accusative -ı/-i/-u/-ü (-nı… after a vowel), genitive -ın/-in/-un/-ün (-nın…), and
# -dakı/-dəki "that is in"; vowel harmony is not checked (a wrong form names nothing).
_AZ = _rules(
    "da> də> ta> tə> dan> dən> tan> tən> ya> yə> a> ə> nı> ni> nu> nü> ı> i> u> ü> nın> nin> nun> nün>",
    "ın> in> un> ün> dakı> dəki> takı> təki>",
)
# Armenian: locative -ում, ablative -ից, genitive/dative -ի, instrumental -ով, the article -ը/-ն; a name in
# -ա or -ո takes -յ- before them (Մոսկվա -> Մոսկվայում, Մոսկվայից, Մոսկվայի).
_HY = _rules("յում> յից> յի> յով> ում> ից> ի> ով> ը> ն> ին> ումը>")

_LANGUAGES: dict[str, tuple[tuple[Rule, ...], Alternation | None]] = {
    "az": (_AZ, None), "hy": (_HY, None),
    "pl": (_PL, _polish), "cs": (_CS, None), "sk": (_SK, None),
    "sr": (_SH, None), "hr": (_SH, None), "bs": (_SH, None), "sh": (_SH, None), "bg": (_BG, None), "mk": (_MK, None),
    "ru": (_RU, _east_slavic("ru")), "uk": (_UK, _east_slavic("uk")), "be": (_BE, _east_slavic("be")),
    "el": (_EL, _greek), "ka": (_KA, _georgian), "sq": (_SQ, None),
    "hu": (_HU, _hungarian), "fi": (_FI, _finnish), "et": (_ET, _estonian), "lv": (_LV, None), "lt": (_LT, None),
    "sl": (_SL, None), "ro": (_RO, None), "mr": (_MR, None), "bn": (_BN, None), "ta": (_TA, None), "gu": (_GU, None),
    "kk": (_KK, None), "uz": (_UZ, None),
    **{code: (_GENITIVE_S, None) for code in GENITIVE_S_LANGUAGES},
}
LANGUAGES: frozenset[str] = frozenset(_LANGUAGES)
_MAX_LEMMAS = 12
_MAX_PARTS = 3  # hyphenated names: at most this many parts inflect together (Bielsko-Biała -> Bielsku-Białej)


def letters_and_signs(form: str) -> int:
    """A form's letters, with the vowel signs and tone marks of the scripts that write vowels as marks on a consonant
    (Bengali ঢাকা, Dhaka, is two letters and two signs), but not the virama that joins two consonants."""
    return sum(char.isalpha() or unicodedata.category(char) in ("Mn", "Mc") and unicodedata.combining(char) != 9
               for char in form)


def _recase(form: str, model: str) -> str:
    """``form`` in the case pattern of ``model``: upper-case, capitalized or as it is."""
    if model.isupper() and sum(char.isalpha() for char in model) > 1:
        return form.upper()
    return form[:1].upper() + form[1:] if model[:1].isupper() else form


def _candidates(word: str, language: str) -> list[str]:
    rules, alternate = _LANGUAGES[language]
    lower = word.lower()
    out: list[str] = []
    for suffix, replacement in rules:
        if len(lower) - len(suffix) >= 2 and lower.endswith(suffix):
            form = lower[: len(lower) - len(suffix)] + replacement
            out += alternate(form) if alternate else [form]
    return [_recase(form, word) for form in out]


def lemmas(word: str, lang: str) -> list[str]:
    """Candidate dictionary (nominative) forms of one word of a text in language ``lang`` (ISO 639-1 primary
    subtag, e.g. "pl", "sr", "el"), most likely first, without the word itself, each at least 3 letters (vowel signs
    counted: ``letters_and_signs``), at most 12. Case: return them in the same case pattern as the input
    (capitalized in, capitalized out). Unknown language: []."""
    language = lang.replace("_", "-").split("-")[0].lower()
    if language not in _LANGUAGES or not word:
        return []
    parts = word.split("-")
    if len(parts) == 1 or not all(parts):
        forms = _candidates(word, language)
    else:
        # The parts before a lower-case one inflect (Bielsku-Białej, Ростова-на-Дону); the rest stays as it is.
        lower_case = word[:1].islower()
        fixed = next((i for i, part in enumerate(parts) if i and part[:1].islower() and not lower_case), len(parts))
        if fixed > _MAX_PARTS:
            fixed = 1
        options = [[part, *lemmas(part, language)[:4]] for part in parts[:fixed]]
        ranks = sorted(product(*(range(len(option)) for option in options)), key=lambda r: (sum(r), r[::-1]))
        forms = ["-".join([*(option[i] for option, i in zip(options, rank, strict=True)), *parts[fixed:]]) for rank in ranks]
    seen = {word.lower()}
    out: list[str] = []
    for form in forms:
        if form.lower() not in seen and letters_and_signs(form) >= 3:
            seen.add(form.lower())
            out.append(form)
    return out[:_MAX_LEMMAS]


# -- clitics ----------------------------------------------------------------------------------------
_words = str.split
# Hebrew: the one-letter prefixes ו (and) ה (the) ב (in) כ (as) ל (to) מ (from) ש (that) and their combinations;
# after ב כ ל the article is not written (בתל אביב = ב + תל אביב).
_HEBREW_PREFIXES = sorted(_words("ו ה ב כ ל מ ש וב ול וה ומ וכ וש מה מב של שב שה שמ כש לכ ומה ושב וכש ושה ושל ומב"),
                          key=len, reverse=True)
# Arabic: و (and) ف (so) ب (in) ك (as) ل (for) before the article ال; ل + ال is written لل (للموصل).
# True: the article was attached, and stays: a name takes the article only where it is part of the name (الموصل,
# المغرب), and a name without it never does: الصور is "the pictures", not صور (Tyre), المالي "the financial",
# not مالي (Mali). So the article itself is no clitic.
_ARABIC_PREFIXES = sorted(
    [(p, True) for p in _words("وال فال بال كال وبال فبال وكال لل ولل فلل")]
    + [(p, False) for p in _words("و ف ب ك ل وب ول فب فل وك فك")],
    key=lambda prefix: len(prefix[0]), reverse=True)
# Korean particles: some follow a consonant (은 이 을 과 으로), some a vowel (는 가 를 와 로), the rest either;
# 로 also follows ㄹ (서울로).
_KO_AFTER_CONSONANT = _words("은 이 을 과 으로 으로는 으로도 으로의 으로부터 이나 이라 이랑 과의 과는 과도 이다")
_KO_AFTER_VOWEL = _words("는 가 를 와 로 로는 로도 로의 로부터 나 라 랑 와의 와는 와도")
_KO_ANY = _words("에서 에 의 도 만 까지 부터 에서는 에서도 에서의 에서부터 에서만 에는 에도 에의 에만 에게 에게서 에선 엔 "
                 "보다 처럼 하고 까지는 부터는")
_KO_PARTICLES = sorted(
    [(p, "consonant") for p in _KO_AFTER_CONSONANT] + [(p, "vowel") for p in _KO_AFTER_VOWEL]
    + [(p, "any") for p in _KO_ANY], key=lambda particle: len(particle[0]), reverse=True)


def _is_hebrew(char: str) -> bool:
    return "\u05d0" <= char <= "\u05f2"


def _is_arabic(char: str) -> bool:
    return "\u0620" <= char <= "\u06ff" or "\ufb50" <= char <= "\ufeff" or "\u0750" <= char <= "\u077f"


def _is_hangul(char: str) -> bool:
    return "\uac00" <= char <= "\ud7a3"


def _letters(text: str) -> int:
    return sum(char.isalpha() for char in text)


def _korean_fits(stem: str, after: str) -> bool:
    final = (ord(stem[-1]) - 0xAC00) % 28  # the final consonant (batchim) of the last syllable, 0: none, 8: ㄹ
    return after == "any" or (final != 0) == (after == "consonant") or (final == 8 and after == "vowel")


def strip_clitics(word: str) -> list[str]:
    """Stems of a word with attached clitics, decided by script (no language needed), most likely first,
    without the word itself: Hebrew prefixes, Arabic-script proclitics and article, Korean particles.
    Remainders: at least 2 letters (Hebrew, Hangul syllables), 3 (Arabic)."""
    out: list[str] = []
    first = word[:1]
    if _is_hebrew(first):
        for prefix in _HEBREW_PREFIXES:
            rest = word[len(prefix):].lstrip("-\u05be")
            if word.startswith(prefix) and _letters(rest) >= 2:
                out.append(rest)
    elif _is_arabic(first):
        for prefix, article in _ARABIC_PREFIXES:
            rest = word[len(prefix):]
            if word.startswith(prefix) and _letters(rest) >= 3:
                out.append("ال" + rest if article else rest)
                if prefix.endswith("لل"):
                    out.append("الل" + rest)  # a name that begins with ل after the article: للاذقية -> اللاذقية
    elif _is_hangul(first):
        for particle, after in _KO_PARTICLES:
            stem = word[: len(word) - len(particle)]
            if (word.endswith(particle) and sum(map(_is_hangul, stem)) >= 2 and _is_hangul(stem[-1])
                    and _korean_fits(stem, after)):
                out.append(stem)
    return [form for form in dict.fromkeys(out) if form != word]
