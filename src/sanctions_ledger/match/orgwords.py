"""The generic words of state bodies and companies, across languages (issue 22, class 4).

The EU lists name one ministry, prison or state company in several languages
("Innenministerium", "Ministère de l'Intérieur", "Ministerstwo Spraw Wewnętrznych"). This
hand-written table gives each such word, as the matcher spells it (ASCII, lower case,
after transliteration), the concept it names, so that two translations of one word
compare as one word (0.9, like rigour's symbols) and the distinctive words decide.

Where the words come from: written by hand from the everyday words for these bodies in
the EU's official languages (German, French, Polish, Czech, Slovak, Italian, Spanish,
Portuguese, Dutch, Swedish, Danish, Finnish, Hungarian, Romanian, the Baltic languages),
Russian, Ukrainian and Belarusian in their usual English-style romanisations, and Arabic
and Persian romanisations, including the common inflected forms (Polish and Russian
genitives) that official names use. Nothing is taken from the shared list data.

``KINDS`` name the kind of body (ministry, prison, factory): generic, weighed less when
left unmatched, as rigour's SYMBOL category is. ``TOPICS`` name its field (interior,
defence, security): they say which body it is, and keep their full weight.
"""

from __future__ import annotations

KINDS: dict[str, str] = {
    "MINISTRY": "ministry ministerium ministere ministerstvo ministerstva ministerstwo ministero "
                "ministerio ministerie ministeriet ministeriu ministerul ministarstvo ministrstvo "
                "ministerija ministrija ministeerium ministerio ministerstvu ministerstvom "
                "miniszterium ministerio wizarat wazarat vezarat vizarat wizara",
    "PRISON": "prison gefangnis gefaengnis wiezienie wiezienia vankila carcere prision prisao "
              "gevangenis fangelse faengsel tyurma tiurma turma vazenie vezeni vaznice zatvor "
              "kalejimas cietums bortone penitenciario penitenciaria penitentiary sijn zindan",
    "COMMITTEE": "committee komitee comite komitet komiteta komitetu comitato kommitte komitea "
                 "komitetas komiteja bizottsag lajna lajnat",
    "FACTORY": "factory plant fabrik werk werke usine fabryka fabryki zaklad zaklady zavod zavoda "
               "zavodu fabrika fabriki stabilimento fabbrica fabrica planta fabriek tehdas "
               "kombinat kombinata gyar masnaa masna karkhaneh karkhane",
    "INSTITUTE": "institute institut instytut instytutu instituta institutu istituto instituto "
                 "instituut institutet instituutti intezet mahad moassese moasseseh",
    "ARMY": "army armee armia armii armija armiya esercito ejercito exercito leger armeija "
            "hadsereg jaysh jaish artesh",
    "NAVY": "navy marine flot flota flotu marina armada laivasto haditengereszet bahriya",
    "GUARD": "guard guards garde gwardia gvardiya gvardii gvardia guardia wacht vartio haras "
             "pasdaran",
    "POLICE": "police polizei policja policji politsiya politsii militsiya militsii polizia "
              "policia politie polis poliisi rendorseg shurta shorta",
    "COURT": "court gericht tribunal cour tribunale corte rechtbank domstol "
             "tuomioistuin birosag mahkama mahkamat dadgah",
    "AGENCY": "agency agentur agence agencja agencji agentstvo agentstva agenzia agencia "
              "agentschap byra virasto ugynokseg wakala wakalat",
    "DIRECTORATE": "directorate direktion direktorat direction dyrekcja upravlenie upravleniye "
                   "direzione direccion directie mudiriya mudiriyat idara edareh",
    "TELEVISION": "television fernsehen televizja telewizja televidenie televideniye "
                  "televizija televisione television televisie televisio televizio "
                  "tilifizyun",
    "RADIO": "radio rundfunk radiyo radijas",
    "STATE": "state staat etat panstwo panstwowy panstwowe gosudarstvo gosudarstvennyy "
             "gosudarstvennyi gosudarstvennaya gosudarstvennoye gosudarstvennoe stato statale "
             "estado estatal staten valtio dawla dawlat dowlat gosudarstvennoy gosudarstvennogo "
             "gosudarstvennoi derzhavnyi derzhavnoho dzyarzhauny",
    "AFFAIRS": "affairs angelegenheiten affaires spraw sprav veci asuntos affari zaken "
               "arenden asiain ugyek",
    "NUMBER": "no nr number nummer numero nomer num",
    "REPUBLIC": "republic republik republique republika respublika respubliki repubblica "
                "republica republiek republiken tasavalta koztarsasag jumhuriya jumhuriyat "
                "jomhuri",
}

TOPICS: dict[str, str] = {
    "INTERIOR": "interior internal inneres innern inneren interieur wewnetrznych vnutrennikh "
                "vnutrennih vnutrenikh vnitra vnutra interno interni interne binnenlandse "
                "inrikes indenrigs sisaasiain belugy dakhiliya dakhiliyah keshvar",
    "DEFENCE": "defence defense verteidigung obrony oborony oborona obrany difesa defensa defesa "
               "defensie forsvar forsvars forsvaret puolustus honvedelmi difa difaa defa",
    "SECURITY": "security sicherheit securite bezpieczenstwa bezopasnosti bezopasnost bezpecnosti "
                "sicurezza seguridad seguranca veiligheid sakerhet sikkerhed turvallisuus "
                "biztonsagi amn amniyat amniyyat bezbednost",
    "JUSTICE": "justice justiz sprawiedliwosti yustitsii spravedlnosti giustizia justicia justica "
               "justitie oikeus igazsagugyi adl",
    "FINANCE": "finance finances finanzen finansow finansov financi finanze finanzas financas "
               "financien valtiovarain penzugy maliya",
    "INTELLIGENCE": "intelligence nachrichtendienst renseignement renseignements wywiadu "
                    "razvedki razvedka rozvedky zpravodajska intelligence informazioni "
                    "inteligencia inlichtingen underrattelse tiedustelu istikhbarat ittilaat",
}


def _flatten() -> dict[str, str]:
    out: dict[str, str] = {}
    for concept, words in KINDS.items():
        for word in words.split():
            out[word] = f"[SYMBOL:{concept}]"
    for concept, words in TOPICS.items():
        for word in words.split():
            out[word] = f"[TOPIC:{concept}]"
    return out


ORG_WORD_SYMBOLS: dict[str, str] = _flatten()
_ELIDED = ("l", "d")
"""French and Italian elided articles and prepositions written joined once the apostrophe
is gone: L'INTÉRIEUR is linterieur."""


def org_word_symbol(token: str) -> str | None:
    """The symbol of ``token`` in the table, also behind an elided l' or d'."""
    found = ORG_WORD_SYMBOLS.get(token)
    if found is None and len(token) > 4 and token[0] in _ELIDED:
        found = ORG_WORD_SYMBOLS.get(token[1:])
    return found
"""Each word of the table and its symbol: ``[SYMBOL:MINISTRY]`` for a kind of body,
``[TOPIC:INTERIOR]`` for its field."""
