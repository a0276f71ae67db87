"""The generic words of state bodies and companies, across languages (issue 22, class 4).

The EU lists name one ministry, prison or state company in several languages
("Innenministerium", "Ministère de l'Intérieur", "Ministerstwo Spraw Wewnętrznych"). This
hand-written table gives each such word, as the matcher spells it (ASCII, lower case,
after transliteration), the concept it names, so that two translations of one word
compare as one word (0.9, like rigour's symbols) and the distinctive words decide.

Where the words come from: written by hand from the everyday words for these bodies in
the EU's official languages (German, French, Polish, Czech, Slovak, Italian, Spanish,
Portuguese, Dutch, Swedish, Danish, Finnish, Hungarian, Romanian, the Baltic languages,
Croatian, Slovenian, Maltese, Estonian; Bulgarian and Greek in their own script, spelled
at first use by the matcher's own transliteration), Russian, Ukrainian and Belarusian in
Cyrillic and in their usual English-style romanisations, and Arabic, Persian and Turkish
romanisations, including the common inflected forms (Polish and Russian genitives,
Bulgarian articles) that official names use. Nothing is taken from the shared list data.

``KINDS`` name the kind of body (ministry, prison, factory): generic, weighed less when
left unmatched, as rigour's SYMBOL category is. ``TOPICS`` name its field (interior,
defence, security): they say which body it is, and keep their full weight.
"""

from __future__ import annotations

import re
from functools import lru_cache

from sanctions_ledger.match.national import national_spellings

KINDS: dict[str, str] = {
    "MINISTRY": "ministry ministerium ministere ministerstvo ministerstva ministerstwo "
                "ministero ministerio ministerie ministeriet ministeriu ministerul "
                "ministarstvo ministrstvo ministerija ministrija ministeerium ministerio "
                "ministerstvu ministerstvom miniszterium ministerio wizarat wazarat vezarat "
                "vizarat wizara министерство министерството ministerstvoto Υπουργείο "
                "Υπουργείου ministeru aireacht",
    "PRISON": "prison gefangnis gefaengnis wiezienie wiezienia vankila carcere prision prisao "
              "gevangenis fangelse faengsel tyurma tiurma turma vazenie vezeni vaznice zatvor "
              "kalejimas cietums bortone penitenciario penitenciaria penitentiary sijn zindan "
              "затвор затвора затворът zatvorat колония koloniya kolonii zapor Φυλακή Φυλακές "
              "habs vangla",
    "COMMITTEE": "committee komitee comite komitet komiteta komitetu comitato kommitte "
                 "komitea komitetas komiteja bizottsag lajna lajnat комитет комитета комітет "
                 "epitropi Επιτροπή kumitat odbor",
    "FACTORY": "factory plant fabrik werk werke usine fabryka fabryki zaklad zaklady zavod "
               "zavoda zavodu fabrika fabriki stabilimento fabbrica fabrica planta fabriek "
               "tehdas kombinat kombinata gyar masnaa masna karkhaneh karkhane завод завода "
               "tvornica tovarna Εργοστάσιο fabbrika tehas rupnica gamykla",
    "INSTITUTE": "institute institut instytut instytutu instituta institutu istituto "
                 "instituto instituut institutet instituutti intezet mahad moassese moasseseh "
                 "институт института інститут Ινστιτούτο istitut institutas instituts",
    "ARMY": "army armee armia armii armija armiya esercito ejercito exercito leger armeija "
            "hadsereg jaysh jaish artesh армия армии армията armiyata армія войска войск "
            "voyska voysk vojska vojske vojsko Στρατός armata",
    "NAVY": "navy marine flot flota flotu marina armada laivasto haditengereszet bahriya "
            "Ναυτικό mornarica",
    "GUARD": "guard guards garde gwardia gvardiya gvardii gvardia guardia wacht vartio haras "
             "pasdaran гвардия гвардии гвардейците gvardeytsite гвардія",
    "POLICE": "police polizei policja policji politsiya politsii militsiya militsii polizia "
              "policia politie polis poliisi rendorseg shurta shorta полиция полиции поліція "
              "Αστυνομία policija pulizija politsei",
    "COURT": "court gericht tribunal cour tribunale corte rechtbank domstol tuomioistuin "
             "birosag mahkama mahkamat dadgah Δικαστήριο qorti kohus tiesa teismas sodisce",
    "AGENCY": "agency agentur agence agencja agencji agentstvo agentstva agenzia agencia "
              "agentschap byra virasto ugynokseg wakala wakalat агентство агенция agentsiya "
              "агентура agentura agentury agencija agenzija",
    "DIRECTORATE": "directorate direktion direktorat direction dyrekcja upravlenie "
                   "upravleniye direzione direccion directie mudiriya mudiriyat idara edareh "
                   "дирекция дирекции direktsiya direktsii управление управления upravleniya "
                   "Διεύθυνση reditelstvi riaditelstvo direkcija",
    "TELEVISION": "television fernsehen televizja telewizja televidenie televideniye "
                  "televizija televisione television televisie televisio televizio tilifizyun "
                  "телевидение телевидения телевизия televiziya телевизионная телевизионный "
                  "televizionnaya televizionnyy Τηλεόραση televisioon",
    "RADIO": "radio rundfunk radiyo radijas радио Ραδιόφωνο radiofono",
    "STATE": "state staat etat panstwo panstwowy panstwowe gosudarstvo gosudarstvennyy "
             "gosudarstvennyi gosudarstvennaya gosudarstvennoye gosudarstvennoe stato statale "
             "estado estatal staten valtio dawla dawlat dowlat gosudarstvennoy "
             "gosudarstvennogo gosudarstvennoi derzhavnyi derzhavnoho dzyarzhauny "
             "государственное государственный государственная государственного государственной "
             "държавна държавен държавно darzhavna darzhaven darzhavno державне державна "
             "державний drzavna drzavni drzavno Κρατική Κρατικό Κρατικός valsts valstybinis "
             "valstybine riiklik",
    "AFFAIRS": "affairs angelegenheiten affaires spraw sprav veci asuntos affari zaken "
               "arenden asiain ugyek работи raboti poslove poslova zadeve",
    "NUMBER": "no nr number nummer numero nomer num",
    "REPUBLIC": "republic republik republique republika respublika respubliki repubblica "
                "republica republiek republiken tasavalta koztarsasag jumhuriya jumhuriyat "
                "jomhuri республика республики република Δημοκρατία Δημοκρατίας repubblika "
                "vabariik",
    "NATL": "national nationale nationaler nationalen nationales nazionale nazionali nacional "
            "nacionales nacionalna nacionalni nacionalno nacionalinis narodowy narodowe "
            "narodowa narodowego narodowej narodowych nationaal nationella nationell nationalt "
            "kansallinen nemzeti nationala natsionalnyy natsionalnaya natsionalnoye "
            "natsionalnogo natsionalnoy natsionalnykh национальный национальная национальное "
            "национального национальной национальных национален национална национално "
            "національний національна нацыянальны Εθνική Εθνικό Εθνικός Εθνικής nazzjonali "
            "melli milli watani wataniya",
    "PEOPLE": "people peoples popular populaire popolare populares volks lidova lidovy ludowa "
              "ludowy ludowe ludowej narodnyy narodnaya narodnoye narodnogo narodnoy народный "
              "народная народное народного народной народен народна народно народний народна "
              "Λαϊκό Λαϊκή Λαϊκός Λαϊκής shaabi shabi shaabiya mardomi halk",
    "FRONT": "front fronte frente fronta frontu фронт фронта Μέτωπο jabha jabhat jebhe",
    "MOVEMENT": "movement bewegung mouvement movimento movimiento ruch ruchu hnuti hnutie "
                "beweging rorelse bevaegelse liike mozgalom miscare miscarea dvizheniye "
                "dvizheniya движение движения движението рух руху Κίνημα haraka harakat "
                "harakah nehzat",
    "BUREAU": "bureau buro byuro biuro byro ufficio oficina бюро бюра Γραφείο",
    "CENTER": "centre center zentrum centrum centro centru tsentr tsentra tsentar центр "
              "центра център центъра Κέντρο keskus kozpont markaz markazi",
    "UNION": "union unione unia uniya soyuz soyuza svaz zvaz unie liitto szovetseg uniunea "
             "союз союза съюз savez zveza Ένωση ittihad",
    "PARTY": "party partei parti partito partido partia partiya partii partija partidul "
             "партия партии партія Κόμμα kommatos hizb hezb puolue",
    "ORG": "organisation organization organisatie organizzazione organizacion organizacao "
           "organizacja organizace organizatsiya organizatsii organisationen jarjesto "
           "szervezet organizatie организация организации організація Οργανισμός munazzama "
           "munazzamat tanzim sazman sazeman",
    "ENTERPRISE": "enterprise unternehmen entreprise impresa empresa przedsiebiorstwo podnik "
                  "onderneming foretag virksomhed yritys vallalat intreprindere predpriyatiye "
                  "predpriyatiya предприятие предприятия підприємство poduzece podjetje",
    "ASSOCIATION": "association verband verein associazione asociacion associacao "
                   "stowarzyszenie sdruzeni sdruzenie vereniging forening yhdistys egyesulet "
                   "asociatia assotsiatsiya ассоциация объединение объединения obyedineniye "
                   "obyedineniya obedineniye сдружение об'єднання аб'яднанне udruga udruzenje "
                   "zdruzenje",
    "FORCES": "forces force forze fuerzas forcas streitkrafte sila sily sil сила силы сили sili "
              "snage "
              "Δυνάμεις quwwat quwat niru niroye nirooye",
    "WING": "wing flugel aile skrzydlo kridlo kridla vleugel vinge siipi szarny krilo krylo "
            "крыло крило",
    "GRP": "group gruppe groupe gruppo grupo grupa skupina groep grupp ryhma csoport grupul "
           "gruppa gruppy группа группы група Όμιλος Ομάδα",
    "SERVICE": "service services dienst dienste servizio servizi servicio servicios uslug "
               "sluzba sluzhba sluzhby служба службы служби tjanst tjeneste palvelu szolgalat "
               "Υπηρεσία ypiresia khadamat",
    "COUNCIL": "council conseil consiglio consejo rada rady raad neuvosto tanacs consiliu "
               "sovet soveta совет совета съвет рада Συμβούλιο majlis majles",
    "DEPT": "department abteilung departement dipartimento departamento departament otdel "
            "otdela отдел отдела osasto osztaly",
    "ADMINISTRATION": "administration verwaltung amministrazione administracion administracja "
                      "administrace administratsiya administratsii администрация администрации "
                      "hallinto",
    "FED": "federal federale federalny federalnyy federalnaya federalnoye federalnogo "
           "federalnoy федеральный федеральная федеральное федерального федеральной федерален",
    "CENTRAL": "central zentral zentrale centrale centralny centralna centralnyy tsentralnyy "
               "tsentralnaya tsentralnoye tsentralnogo центральный центральная центральное "
               "централен централна централно Κεντρική",
    "MAIN": "main chief glavnoye glavnyy glavnaya glavnogo glavnoy главное главный главная "
            "главного главной главно главна",
    "PUBLIC": "public offentlich publique pubblico pubblica publico publica publiczny "
              "publiczna verejny verejna openbaar offentlig julkinen publichnoye publichnoe "
              "publichnogo публичное публичного публично публична javni javno",
    "COMMERCIAL": "commercial commerciale commerciali comercial comerciala kommerziell "
                  "handels handlowy handlowa handlowe obchodni obchodna commercieel "
                  "kommersiell kaupallinen kereskedelmi kommercheskiy kommercheskaya torgovyy "
                  "torgovaya torgovoye torgovoy коммерческий коммерческая коммерческого "
                  "торговый торговая торговое торговой търговска търговски targovska targovski "
                  "trgovacka Εμπορική tejari tijari tejarat tijarat ticaret",
    "INDUSTRY": "industry industrial industrie industriel industriale industria przemyslowy "
                "przemyslowe przemyslu prumyslovy priemyselny industrieel teollisuus ipari "
                "promyshlennyy promyshlennaya promyshlennosti промышленный промышленная "
                "промышленное промышленности промишлен промишлена промишленост promishlen "
                "Βιομηχανία sanaye "
                "sanayi sinaa sinaat",
    "FUND": "fund fonds fondo fundusz fond fonda rahasto фонд фонда Ταμείο sanduq sandogh",
    "FDN": "foundation stiftung fondation fondazione fundacion fundacja nadace nadacia "
           "stichting stiftelse fond fonda фонд фонда Ίδρυμα bonyad bunyad",
    "DEV": "development entwicklung developpement sviluppo desarrollo desenvolvimento rozwoju "
           "rozvoj rozvoje ontwikkeling utveckling udvikling kehitys dezvoltare razvitiya "
           "razvitiye развития развитие развитието razvoj Ανάπτυξης tosee toseeh tanmiya",
    "CORPS": "corps korps korpus korpusa корпус корпуса cuerpo corpo",
    "MILITIA": "militia miliz milice milizia milicia milicja opolcheniye opolcheniya "
               "ополчение ополчения опълчение",
}

TOPICS: dict[str, str] = {
    "INTERIOR": "interior internal inneres innern inneren interieur wewnetrznych vnutrennikh "
                "vnutrennih vnutrenikh vnitra vnutra interno interni interne binnenlandse "
                "inrikes indenrigs sisaasiain belugy dakhiliya dakhiliyah внутренних "
                "внутрішніх ўнутраных vnutrennikh vnutrishnikh вътрешните vatreshnite "
                "Εσωτερικών unutarnjih unutrasnjih notranje notranjih vidaus",
    "DEFENCE": "defence defense verteidigung obrony oborony oborona obrany difesa defensa "
               "defesa defensie forsvar forsvars forsvaret puolustus honvedelmi difa difaa "
               "defa обороны оборони абароны отбраната отбрана otbranata otbrana obrane obrana "
               "obrambo obrambe Άμυνας difiza aizsardzibas отбранителна отбранителни",
    "SECURITY": "security amniat sicherheit securite bezpieczenstwa bezopasnosti bezopasnost "
                "bezpecnosti sicurezza seguridad seguranca veiligheid sakerhet sikkerhed "
                "turvallisuus biztonsagi amn amniyat amniyyat bezbednost безопасности "
                "безопасност безпеки бяспекі сигурност sigurnost sigurnosti bezbednosti "
                "varnost varnosti Ασφαλείας sigurta julgeoleku drosibas saugumo securitate "
                "bezpecnost",
    "JUSTICE": "justice justiz sprawiedliwosti yustitsii spravedlnosti giustizia justicia "
               "justica justitie oikeus igazsagugyi adl юстиции юстиції правосъдието "
               "pravosadieto pravosudja pravosodje Δικαιοσύνης gustizzja tieslietu teisingumo",
    "FINANCE": "finance finances finanzen finansow finansov financi finanze finanzas financas "
               "financien valtiovarain penzugy maliya финансов финансите фінансів finansite "
               "financija financije Οικονομικών finanzi rahandus finansu",
    "INTELLIGENCE": "intelligence ettelaat etelaat nachrichtendienst renseignement renseignements wywiadu "
                    "razvedki razvedka rozvedky zpravodajska intelligence informazioni "
                    "inteligencia inlichtingen underrattelse tiedustelu istikhbarat ittilaat "
                    "разведки разведывательное разведывательного разузнаване разузнаването "
                    "разузнавателна разузнавателно розвідки razuznavane razvedyvatelnoye "
                    "obavjestajna Πληροφοριών",
    "LIBERATION": "liberation befreiung liberazione liberacion libertacao wyzwolenia "
                  "wyzwolenie osvobozeni osvobodenie bevrijding befrielse vapautus "
                  "felszabaditas eliberare osvobozhdeniye osvobozhdeniya освобождение "
                  "освобождения освобождението oslobodjenje oslobodenje osvoboditev "
                  "Απελευθέρωση Απελευθέρωσης tahrir azadi helsien",
    "MILITARY": "military militaire militare militari militar militares militarische wojskowy "
                "wojskowe wojskowa wojskowej wojskowego vojensky vojenske vojenska voyennyy "
                "voyennaya voyennoye voyennogo voennyy voennaya voennoye voennogo военный "
                "военная военное военного военной военных военно военен военна vojni vojaski "
                "katonai sotilaallinen militair Στρατιωτική Στρατιωτικό askari nezami",
    "RESEARCH": "research recherche ricerca investigacion forschung forschungs badawczy "
                "изследвания изследване изследователски исследований исследования "
                "badawcze badawczo badan vyzkumny vyzkumna vyzkumu vyskumny vyskumu onderzoek "
                "forskning tutkimus kutato cercetare cercetari issledovatelskiy "
                "issledovatelskaya issledovaniy исследовательский исследовательская "
                "исследовательского исследований изследователски изследователски "
                "izsledovatelski istrazivacki raziskovalni Ερευνών Ερευνητικό pazhuhesh "
                "pajouhesh tahqiqat",
    "SCIENTIFIC": "scientific wissenschaftlich wissenschaftliche scientifique scientifico "
                  "cientifico naukowy naukowe naukowo vedecky vedecke wetenschappelijk "
                  "vetenskaplig tieteellinen tudomanyos stiintific nauchnyy nauchnaya "
                  "nauchnoye научно научный научная научное научного научен научна naukovyi "
                  "znanstveni elmi ilmi",
    "INSURANCE": "insurance versicherung versicherungs assurance assurances assicurazioni "
                 "assicurazione seguros seguro ubezpieczen ubezpieczenia pojistovna poistovna "
                 "verzekering forsakring forsikring vakuutus biztosito asigurare asigurari "
                 "strakhovaya strakhovoy strakhovoye strakhovaniya страховая страховой "
                 "страховое страхования застрахователно застрахователна osiguranje "
                 "zavarovalnica Ασφαλιστική bimeh sigorta",
    "INVESTMENT": "investment investition investissement investimenti investimento inversion "
                  "inversiones investitsiy investitsionnyy investitsionnaya инвестиционный "
                  "инвестиционная инвестиций инвестиционна inwestycyjny inwestycje investering "
                  "sijoitus befektetesi investitii Επενδύσεων istithmar yatirim sarmayegozari",
    "SHIPBUILDING": "shipyard shipbuilding werft chantier cantiere astillero stocznia stoczni "
                    "lodenice scheepswerf varv vaerft telakka hajogyar santier sudostroitelnyy "
                    "sudostroitelnaya sudostroitelnogo судостроительный судостроительная "
                    "судостроительного судоремонтный судоремонтная корабостроителен "
                    "корабостроителна brodogradiliste ladjedelnica Ναυπηγείο",
    "RAILWAY": "railway railways railroad eisenbahn ferrovia ferrovie ferrocarril ferroviaria "
               "kolej koleje zeleznice zeleznica spoorwegen jarnvag jernbane rautatie vasut "
               "zheleznodorozhnyy zheleznodorozhnaya железнодорожный железнодорожная железница "
               "zheleznitsa zeljeznica",
    "PORT": "port ports porto puerto hafen haven hamn havn satama порт порта пристанище "
            "pristanishte",
    "OIL": "oil petroleum erdol petrole petrolio petroleo naftowy neftyanaya neftyanoy "
           "нефтяная нефтяной нефтяное naft",
    "GAS": "gas gaz gaza gazovaya gazovyy gazovoy газовая газовый газовой газовое kaasu",
    "CHEMICAL": "chemical chemie chemische chimique chimica chimico quimica quimico chemiczny "
                "chemiczne chemicke chemicky kemisk kemiallinen vegyi khimicheskiy "
                "khimicheskaya khimii химический химическая химии химическа химически kemijski "
                "petroshimi kimya",
    "PRODUCTION": "production produktion produzione produccion producao produkcja "
                  "proizvodstvennoye proizvodstvennaya proizvodstvennyy производственное "
                  "производственная производственный производственно производство proizvodstvo "
                  "proizvodnja productie tuotanto termelo вытворчае vytvorchaye",
    "AVIATION": "aviation aviazione aviacion aviacao luftfahrt lotnictwo lotnicze letectvi "
                "luchtvaart ilmailu aviatsionnyy aviatsionnaya aviatsii авиационный "
                "авиационная авиационное авиации авиационен авиационна zrakoplovstvo "
                "letalstvo havacilik",
    "ISLAMIC": "islamic islamiya islamiyya islamiyah islamiyyah islamique islamica islamico islamischen islamische islamski islamska "
               "islamsko islamitische islamiska islamskaya islamskiy исламская исламский "
               "исламское исламского ислямска ислямски ислямската islyamska islyamski Ισλαμική "
               "Ισλαμικό",
    "MARTYRS": "martyrs martyr martyrer martyre martyres martiri martires meczennikow "
               "meczennicy mucedniku mucednici martelaren marttyyrit martirok мученики "
               "мучеников мъченици мъчениците shuhada shuhadaa shohada",
    "AIR": "air luft aerienne aeriennes aerea aereas aereo powietrznych powietrzne vzdusne "
           "vzdusnych luchtmacht воздушных воздушные въздушни военно-воздушные "
           "военновъздушни военновъздушните",
    "REVOLUTIONARY": "revolutionary revolutionare revolutionnaire rivoluzionario "
                     "revolucionario rewolucyjny revolucni revolyutsionnyy revolyutsionnaya "
                     "революционный революционная революционной революционна Επαναστατική "
                     "revolution revolutionen rivoluzione revolucion rewolucja revoluce "
                     "революция революции революцията революція рэвалюцыя "
                     "enqelab enghelab enqelabi enghelabi",
    "ECONOMY": "economy economic economique economica economico economia ekonomika ekonomiki "
               "ekonomicheskiy ekonomicheskaya wirtschaft wirtschafts gospodarczy gospodarki "
               "hospodarsky economie talous gazdasagi экономический экономическая экономики "
               "экономика икономически икономика iqtisad iqtisadi eqtesad eqtesadi ekonomik",
    "RESISTANCE": "resistance widerstand resistenza resistencia oporu opor soprotivleniya "
                  "soprotivleniye сопротивления сопротивление съпротива muqawama muqawamah "
                  "moqavemat",
    "SHIPPING": "shipping schifffahrt navigazione naviera zegluga rederi sudokhodnaya "
                "sudokhodnoye судоходная судоходное kashtirani",
}


PARTICLES = (
    "on at in les en au aux die das dem fur zu los las con dei degli il lo per het voor och "
    "af og na za sa ot pri po dla ze ja ir un es ta wa"
)
"""Articles, prepositions and conjunctions of organisation names (the same languages)
that the matcher's own particles (``tokens.PARTICLES``: THE, OF, DE, UND, VA, which weigh
as AL does in any name) leave out, as they are also names of people (Korean NA, Chinese
PO, Swedish PER): in an organisation's name, generic, each its own word (OF and ZA, "for"
in Bulgarian, do not compare as one word; SA is ZA as German writes it), so that an
unmatched one is weighed less."""


@lru_cache(maxsize=1)
def place_words() -> frozenset[str]:
    """The words (four letters or more) of the names of the world's territories, from
    rigour's table (KOREA, NORTH, IRAN, EMIRATES), as the matcher spells them: in an
    organisation's name they say where the body is, not which body it is."""
    from rigour.territories import get_territories  # noqa: PLC0415 (only when needed)
    from rigour.text.translit import ascii_text  # noqa: PLC0415

    out: set[str] = set()
    for territory in get_territories():
        for name in (territory.name, territory.full_name):
            if name:
                out.update(w for w in re.split(r"[^a-z0-9]+", ascii_text(name).lower()) if len(w) > 3)
    return frozenset(out)


def _spelled(word: str) -> str | None:
    """``word`` as the matcher spells a name's token (Cyrillic and Greek words of the table
    are written in their own script): None if it is not one token."""
    if word.isascii():
        return word
    from sanctions_ledger.match.normalise import clean, tokens_of  # noqa: PLC0415 (cycle)

    toks, _ = tokens_of(clean(word).casefold().replace("'", ""))
    return toks[0] if len(toks) == 1 else None


def _flatten() -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {}
    for table, category in ((KINDS, "SYMBOL"), (TOPICS, "TOPIC")):
        for concept, words in table.items():
            for word in words.split():
                spelled = _spelled(word)
                if spelled:
                    out.setdefault(spelled, set()).add(f"[{category}:{concept}]")
    for word in PARTICLES.split():
        out.setdefault(word, set()).add(f"[SYMBOL:PARTICLE {word}]")
    return {word: frozenset(symbols) for word, symbols in out.items()}


_TABLE: dict[str, frozenset[str]] = {}
"""Each word of the table, as the matcher spells it, and its symbols: ``[SYMBOL:MINISTRY]``
for a kind of body, ``[TOPIC:INTERIOR]`` for its field (two for a word of two meanings:
Russian FOND is a fund and a foundation). Built on first use (spelling the words written in
Cyrillic or Greek needs the matcher's transliteration)."""
_TABLE_I: dict[str, frozenset[str]] = {}
"""The table's words with y written i: conventions with no letter for ы write it i
(Hungarian PROMISLENNOSZTI, Italian and Spanish -NI), and a national reading keeps it."""
_ELIDED = ("l", "d")
"""French and Italian elided articles and prepositions written joined once the apostrophe
is gone: L'INTÉRIEUR is linterieur."""


def org_word_symbols(token: str) -> frozenset[str] | None:
    """The symbols of ``token`` in the table, also behind an elided l' or d', and of a
    Russian, Belarusian or Bulgarian word written by an EU national convention
    (:func:`_read_symbols`)."""
    if not _TABLE:
        _TABLE.update(_flatten())
        for word, symbols in _TABLE.items():
            _TABLE_I.setdefault(word.replace("y", "i"), symbols)
    found = _TABLE.get(token)
    if found is None and len(token) > 4:
        if token[0] in _ELIDED:
            found = _TABLE.get(token[1:])
        if found is None:
            found = _read_symbols(token)
    return found


@lru_cache(maxsize=100_000)
def _read_symbols(token: str) -> frozenset[str] | None:
    """The symbols of the table word that ``token`` is, read back the English way under an
    EU national convention (national.national_spellings): German DIREKZIJA is DIREKTSIYA,
    ORGANISAZIJA ORGANIZATSIYA, SAWOD ZAVOD; or with a German or Polish w as v (AGENTSTWO).
    The table lists these words in one English-style romanisation: the token and each
    reading are also tried with an i between vowels as the y it stands for in French and
    Italian (NATSIONALNAIA, GVARDIIA), and then with the y of an е after a vowel left out
    and a German ss between vowels as one s (the table's VOENNO and GOSUDARSTVENNOE for
    WOJENNO and GOSSUDARSTWENNOJE). A final -iy is also read as the table's -yy: conventions
    with no letter for ы write the adjective ending -ый as -ij, like -ий (German, Italian and
    Hungarian SUDOSTROITELNIJ is SUDOSTROITELNYY), and French, Spanish and Dutch -ni as -ный
    (SOUDOSTROITELNI); a Bulgarian word is also looked up without its definite article, and
    any long word with y and i taken as one letter (``_TABLE_I``)."""
    readings = [token, *national_spellings(token)]
    if "w" in token:
        readings.append(token.replace("w", "v"))
    if "j" in token:
        readings.append(token.replace("j", "zh"))  # French and Italian j for ж: DVIJENIE
    if "sch" in token:
        # German sch for ш with s for з in one word (WOJENNOWSDUSCHNITE, военновъздушните)
        readings.append(token.replace("tsch", "C").replace("sch", "S").replace("s", "z")
                        .replace("w", "v").replace("j", "y").replace("C", "ch")
                        .replace("S", "sh"))
    readings += [form for reading in readings for form in _ts_forms(reading)]
    for reading in readings:
        iotated = _VOWEL_I.sub("y", reading)
        for form in (reading, iotated, _PLAIN_E.sub("", iotated).replace("ss", "s")):
            found = _TABLE.get(form)
            if found is None and form.endswith("iy"):
                found = _TABLE.get(form[:-2] + "yy")
            if found is None and form.endswith("ni"):
                found = _TABLE.get(form[:-1] + "yy")
            if found is None and len(form) > 5 and form[-2:] in _DEFINITE:
                found = _TABLE.get(form[:-2])
            if found is None and len(form) > 6:
                found = _TABLE_I.get(form.replace("y", "i"))
            if found is not None:
                return found
    return None


_DEFINITE = ("ta", "to", "te")
"""The Bulgarian definite article, joined to the word (GRUPATA, MINISTERSTVOTO): the table
lists the bare word."""


def _ts_forms(reading: str) -> list[str]:
    """Other spellings of a reading the table may hold: with kh as h (the table spells its
    Cyrillic words with х as h: STRAKHOVOE is its STRAHOVOE), and, where the convention
    writes ц as z (German, Italian) in a word that also has a з, each z but one as ts
    (Italian ORGANIZAZIJA is ORGANIZATSIYA: one reading takes every z for ц, another none)."""
    out = [reading.replace("kh", "h")] if "kh" in reading else []
    if "zh" not in reading and 2 <= reading.count("z") <= 3:
        spots = [i for i, ch in enumerate(reading) if ch == "z"]
        for keep in spots:
            out.append("".join("ts" if i in spots and i != keep else ch
                               for i, ch in enumerate(reading)))
    return out


_VOWEL_I = re.compile(r"(?<=[aeiou])i(?=[aeou])")
_PLAIN_E = re.compile(r"(?<=[aeiou])y(?=e)")


def is_particle(symbols: frozenset[str]) -> bool:
    """Whether ``symbols`` are a particle's (an article, preposition or conjunction)."""
    return all(sym.startswith("[SYMBOL:PARTICLE ") for sym in symbols)
