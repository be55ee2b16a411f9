"""A deterministic, fictitious organisation for demonstrations and benchmarks.

``organisation_build`` is pure: it returns plain data, computed only from ``people``,
``seed`` and ``today`` with its own ``random.Random(seed)``, so the same arguments always
give the same people, e-mails and hierarchy. ``loader.organisation_load`` writes it.
No Faker: the compact name lists below are enough and never change under our feet.
"""

import math
import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from bascule.people.models import fold

DEMO_DOMAIN = "demo.bascule.test"
DEMO_PASSWORD = "bascule-demo"
DEMO_LOGIN_EMAIL = f"camille.martin@{DEMO_DOMAIN}"
DEMO_OPERATOR_EMAIL = f"admin@{DEMO_DOMAIN}"
# Below this, the hierarchy (a CEO, a director per department, teams) does not fit.
MINIMUM_PEOPLE = 30


@dataclass(frozen=True)
class CountryData:
    name: str
    code: str
    language: str  # ISO 639-1 code of the native language
    timezone: str
    legal_entity: str
    female_names: tuple[str, ...]
    male_names: tuple[str, ...]
    last_names: tuple[str, ...]


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split(","))


COUNTRIES = {
    "FR": CountryData(
        "France", "FR", "fr", "Europe/Paris", "Bascule Industries SAS",
        _words("Hélène,Léa,Chloé,Manon,Inès,Zoé,Élodie,Céline,Aurélie,Stéphanie,Noémie,Amélie,Mathilde,"
               "Juliette,Océane,Sophie,Nathalie,Isabelle,Valérie,Émilie,Margaux,Anaïs,Agnès"),
        _words("Jérôme,Théo,Sébastien,François,Frédéric,Benoît,Loïc,Gaël,Maël,Clément,Antoine,Nicolas,"
               "Julien,Thomas,Guillaume,Mathieu,Raphaël,Adrien,Hugo,Étienne,Arnaud,Cédric,Yannick"),
        _words("Martin,Bernard,Dubois,Thomas,Robert,Richard,Petit,Durand,Leroy,Moreau,Simon,Laurent,"
               "Lefèvre,Michel,Garcia,David,Bertrand,Roux,Vincent,Fournier,Morel,Girard,André,Mercier,"
               "Dupont,Lambert,Bonnet,François,Legrand,Garnier,Faure,Rousseau,Blanc,Guérin,Chevalier,"
               "Boyer,Gauthier,Perrin,Lemaître,Noël,Brunet,Hervé"),
    ),
    "DE": CountryData(
        "Germany", "DE", "de", "Europe/Berlin", "Bascule GmbH",
        _words("Anna,Lena,Lea,Hannah,Sophie,Marie,Katharina,Julia,Laura,Sarah,Jana,Sabine,Ute,Birgit,"
               "Anja,Käthe,Gisela,Monika,Petra,Franziska,Jülide,Heike"),
        _words("Lukas,Jonas,Leon,Finn,Felix,Maximilian,Paul,Elias,Jürgen,Jörg,Björn,Sören,Uwe,Klaus,"
               "Stefan,Matthias,Tobias,Florian,Andreas,Sebastian,Jannik,Günter"),
        _words("Müller,Schmidt,Schneider,Fischer,Weber,Meyer,Wagner,Becker,Schulz,Hoffmann,Schäfer,"
               "Koch,Bauer,Richter,Klein,Wolf,Schröder,Neumann,Schwarz,Zimmermann,Braun,Krüger,Hofmann,"
               "Hartmann,Lange,Werner,Krause,Lehmann,Köhler,Herrmann,König,Walter,Huber,Kaiser,Fuchs,"
               "Peters,Möller,Weiß,Jäger,Groß,Yılmaz"),
    ),
    "ES": CountryData(
        "Spain", "ES", "es", "Europe/Madrid", "Bascule Ibérica SL",
        _words("Lucía,María,Sofía,Martina,Paula,Julia,Daniela,Valeria,Alba,Carmen,Ana,Laura,Marta,"
               "Elena,Raquel,Nuria,Pilar,Rocío,Inés,Begoña,Montserrat"),
        _words("Hugo,Martín,Pablo,Alejandro,Lucas,Álvaro,Adrián,Mario,Diego,Javier,Sergio,Jorge,"
               "Iñaki,Íker,Jesús,José,Manuel,Antonio,Rubén,Andrés,Tomás,Jordi"),
        _words("García,Rodríguez,González,Fernández,López,Martínez,Sánchez,Pérez,Gómez,Martín,"
               "Jiménez,Ruiz,Hernández,Díaz,Moreno,Muñoz,Álvarez,Romero,Alonso,Gutiérrez,Navarro,"
               "Torres,Domínguez,Vázquez,Ramos,Gil,Ramírez,Serrano,Blanco,Molina,Suárez,Ortega,"
               "Delgado,Castro,Ortiz,Rubio,Marín,Sanz,Núñez,Iglesias,Puig,Ferrer"),
    ),
    "GB": CountryData(
        "United Kingdom", "GB", "en", "Europe/London", "Bascule UK Ltd",
        _words("Olivia,Amelia,Isla,Ava,Emily,Sophie,Grace,Lily,Chloe,Ella,Charlotte,Freya,Evie,"
               "Jessica,Poppy,Hannah,Eleanor,Niamh,Siobhan,Zoë,Priya,Aisha"),
        _words("Oliver,George,Harry,Jack,Jacob,Charlie,Thomas,Oscar,William,James,Henry,Alfie,"
               "Joshua,Samuel,Daniel,Matthew,Benjamin,Edward,Rhys,Owen,Arjun,Callum"),
        _words("Smith,Jones,Taylor,Brown,Williams,Wilson,Johnson,Davies,Robinson,Wright,Thompson,"
               "Evans,Walker,White,Roberts,Green,Hall,Wood,Jackson,Clarke,Patel,Khan,Lewis,James,"
               "Phillips,Mason,Mitchell,Morgan,Hughes,Edwards,Turner,Hill,Cooper,Ward,Morris,King,"
               "Harris,O'Brien,MacDonald,Baker"),
    ),
    "IT": CountryData(
        "Italy", "IT", "it", "Europe/Rome", "Bascule Italia S.r.l.",
        _words("Sofia,Giulia,Aurora,Alice,Ginevra,Emma,Giorgia,Beatrice,Chiara,Francesca,Martina,"
               "Sara,Elena,Valentina,Alessia,Federica,Ilaria,Silvia,Elisa,Benedetta,Noemi"),
        _words("Alessandro,Lorenzo,Matteo,Leonardo,Francesco,Andrea,Gabriele,Riccardo,Tommaso,"
               "Edoardo,Marco,Luca,Giuseppe,Giovanni,Stefano,Paolo,Davide,Simone,Niccolò,Federico"),
        _words("Rossi,Russo,Ferrari,Esposito,Bianchi,Romano,Colombo,Ricci,Marino,Greco,Bruno,Gallo,"
               "Conti,De Luca,Mancini,Costa,Giordano,Rizzo,Lombardi,Moretti,Barbieri,Fontana,Santoro,"
               "Mariani,Rinaldi,Caruso,Ferrara,Galli,Martini,Leone,Longo,Gentile,Vitale,Serra,"
               "Coppola,De Santis,D'Angelo,Marchetti,Parisi,Villa,Cattaneo,Fabbri"),
    ),
}

# Site → (country code, weight in the workforce). Lyon is the head office.
SITES = {
    "Lyon": ("FR", 20),
    "Paris": ("FR", 17),
    "Nantes": ("FR", 7),
    "Toulouse": ("FR", 7),
    "Munich": ("DE", 9),
    "Hamburg": ("DE", 6),
    "Madrid": ("ES", 8),
    "Barcelona": ("ES", 6),
    "London": ("GB", 9),
    "Manchester": ("GB", 5),
    "Milan": ("IT", 6),
}
HEAD_OFFICE = "Lyon"

LANGUAGES = {
    "fr": "French", "en": "English", "de": "German", "es": "Spanish", "it": "Italian",
    "pt": "Portuguese", "ar": "Arabic", "nl": "Dutch", "zh": "Chinese", "pl": "Polish",
    "ca": "Catalan", "tr": "Turkish",
}
OCCASIONAL_LANGUAGES = ("pt", "ar", "nl", "zh", "pl", "tr", "fr", "de", "es", "it")

CORPORATE = "Corporate functions"
OPERATING_BUSINESS_UNITS = ("Industrial solutions", "Digital services", "Consumer products")
BUSINESS_UNITS = (*OPERATING_BUSINESS_UNITS, CORPORATE)


@dataclass(frozen=True)
class DepartmentData:
    """Titles are (French, English); a French title "masculine|feminine" when they differ."""

    weight: int
    corporate: bool
    director: tuple[str, str]
    manager: tuple[str, str]
    team_lead: tuple[str, str]
    members: tuple[tuple[str, str], ...]
    skills: tuple[tuple[str, str], ...]


def _pairs(text: str) -> tuple[tuple[str, str], ...]:
    """"fr=en;fr=en;same" → ((fr, en), (fr, en), (same, same))."""
    pairs = []
    for item in text.split(";"):
        french, _, english = item.partition("=")
        pairs.append((french.strip(), (english or french).strip()))
    return tuple(pairs)


DEPARTMENTS = {
    "General management": DepartmentData(
        1, True,
        ("Président-directeur général|Présidente-directrice générale", "Chief Executive Officer"),
        ("Directeur de la stratégie|Directrice de la stratégie", "Head of Strategy"),
        ("Chef de projet stratégique|Cheffe de projet stratégique", "Strategy Lead"),
        _pairs("Assistant de direction|Assistante de direction=Executive Assistant;"
               "Chargé de mission|Chargée de mission=Strategy Analyst"),
        _pairs("Stratégie=Strategy;Leadership;Gestion de projet=Project management;"
               "Conduite du changement=Change management;Négociation=Negotiation"),
    ),
    "Sales": DepartmentData(
        16, False,
        ("Directeur commercial|Directrice commerciale", "Sales Director"),
        ("Responsable des ventes", "Sales Manager"),
        ("Chef des ventes|Cheffe des ventes", "Sales Team Lead"),
        _pairs("Ingénieur commercial|Ingénieure commerciale=Account Executive;"
               "Chargé d'affaires|Chargée d'affaires=Business Developer;"
               "Assistant commercial|Assistante commerciale=Sales Assistant;"
               "Responsable grands comptes=Key Account Manager;"
               "Technico-commercial|Technico-commerciale=Sales Engineer"),
        _pairs("Négociation=Negotiation;Prospection=Prospecting;Salesforce;"
               "Gestion de grands comptes=Key account management;Appels d'offres=Tenders;CRM;"
               "Export;Closing"),
    ),
    "Marketing": DepartmentData(
        6, False,
        ("Directeur marketing|Directrice marketing", "Marketing Director"),
        ("Responsable marketing", "Marketing Manager"),
        ("Chef de produit|Cheffe de produit", "Product Marketing Lead"),
        _pairs("Chargé de marketing digital|Chargée de marketing digital=Digital Marketing Specialist;"
               "Chef de produit junior|Cheffe de produit junior=Product Marketing Specialist;"
               "Chargé d'études|Chargée d'études=Market Research Analyst;"
               "Responsable événementiel=Events Coordinator"),
        _pairs("Marketing digital=Digital marketing;SEO;Études de marché=Market research;"
               "Google Analytics;Marketing de contenu=Content marketing;Événementiel=Event management;"
               "Marketing produit=Product marketing"),
    ),
    "Communication": DepartmentData(
        3, True,
        ("Directeur de la communication|Directrice de la communication", "Head of Communications"),
        ("Responsable communication", "Communications Manager"),
        ("Responsable éditorial|Responsable éditoriale", "Editorial Lead"),
        _pairs("Chargé de communication|Chargée de communication=Communications Officer;"
               "Community manager=Community Manager;Rédacteur|Rédactrice=Content Writer;"
               "Graphiste=Graphic Designer"),
        _pairs("Communication interne=Internal communication;Rédaction=Copywriting;"
               "Relations presse=Press relations;Réseaux sociaux=Social media;"
               "Conduite du changement=Change management;Montage vidéo=Video editing;Canva;"
               "Prise de parole en public=Public speaking"),
    ),
    "Finance": DepartmentData(
        6, True,
        ("Directeur financier|Directrice financière", "Chief Financial Officer"),
        ("Responsable comptable", "Finance Manager"),
        ("Contrôleur de gestion senior|Contrôleuse de gestion senior", "Senior Financial Controller"),
        _pairs("Comptable=Accountant;Contrôleur de gestion|Contrôleuse de gestion=Financial Controller;"
               "Trésorier|Trésorière=Treasury Analyst;Analyste financier|Analyste financière=Financial Analyst"),
        _pairs("Contrôle de gestion=Management control;Comptabilité=Accounting;IFRS;"
               "Trésorerie=Treasury;SAP;Excel;Consolidation;Fiscalité=Tax"),
    ),
    "Human resources": DepartmentData(
        5, True,
        ("Directeur des ressources humaines|Directrice des ressources humaines", "HR Director"),
        ("Responsable ressources humaines", "HR Manager"),
        ("Responsable développement RH", "HR Business Partner"),
        _pairs("Chargé de recrutement|Chargée de recrutement=Recruiter;"
               "Gestionnaire de paie=Payroll Specialist;"
               "Chargé de formation|Chargée de formation=Learning Specialist;"
               "Chargé de développement RH|Chargée de développement RH=HR Officer"),
        _pairs("Recrutement=Recruitment;Paie=Payroll;Formation=Training;Droit social=Employment law;"
               "GPEC=Workforce planning;Onboarding;Relations sociales=Employee relations;Workday"),
    ),
    "IT": DepartmentData(
        9, True,
        ("Directeur des systèmes d'information|Directrice des systèmes d'information", "Chief Information Officer"),
        ("Responsable informatique", "IT Manager"),
        ("Chef de projet informatique|Cheffe de projet informatique", "IT Team Lead"),
        _pairs("Développeur|Développeuse=Software Developer;"
               "Administrateur systèmes|Administratrice systèmes=Systems Administrator;"
               "Technicien support|Technicienne support=IT Support Technician;"
               "Analyste cybersécurité=Security Analyst;Architecte cloud=Cloud Architect;"
               "Ingénieur données|Ingénieure données=Data Engineer"),
        _pairs("Python;Java;Linux;Cybersécurité=Cybersecurity;Cloud;Kubernetes;SQL;ITIL;"
               "Réseaux=Networking;Power BI"),
    ),
    "Operations": DepartmentData(
        24, False,
        ("Directeur des opérations|Directrice des opérations", "Chief Operating Officer"),
        ("Responsable de production", "Operations Manager"),
        ("Chef d'équipe production|Cheffe d'équipe production", "Production Team Lead"),
        _pairs("Technicien de production|Technicienne de production=Production Technician;"
               "Opérateur de production|Opératrice de production=Machine Operator;"
               "Acheteur|Acheteuse=Buyer;Logisticien|Logisticienne=Logistics Coordinator;"
               "Technicien de maintenance|Technicienne de maintenance=Maintenance Technician;"
               "Planificateur|Planificatrice=Production Planner"),
        _pairs("Lean;Supply chain;Logistique=Logistics;Achats=Procurement;"
               "Planification=Production planning;Maintenance;Sécurité au travail=Workplace safety;"
               "Soudure=Welding;Six Sigma;SAP"),
    ),
    "R&D": DepartmentData(
        12, False,
        ("Directeur R&D|Directrice R&D", "R&D Director"),
        ("Responsable de laboratoire", "R&D Manager"),
        ("Chef de projet R&D|Cheffe de projet R&D", "R&D Project Lead"),
        _pairs("Ingénieur R&D|Ingénieure R&D=R&D Engineer;Ingénieur mécanique|Ingénieure mécanique=Mechanical Engineer;"
               "Ingénieur électronique|Ingénieure électronique=Electronics Engineer;"
               "Technicien de laboratoire|Technicienne de laboratoire=Lab Technician;"
               "Data scientist=Data Scientist"),
        _pairs("CAO=CAD;Simulation;Électronique=Electronics;Science des matériaux=Materials science;"
               "Brevets=Patents;Prototypage=Prototyping;MATLAB;Python;Gestion de projet=Project management"),
    ),
    "Quality": DepartmentData(
        6, False,
        ("Directeur qualité|Directrice qualité", "Quality Director"),
        ("Responsable qualité", "Quality Manager"),
        ("Responsable assurance qualité", "Quality Assurance Lead"),
        _pairs("Technicien qualité|Technicienne qualité=Quality Technician;"
               "Auditeur qualité|Auditrice qualité=Quality Auditor;"
               "Ingénieur qualité|Ingénieure qualité=Quality Engineer;"
               "Métrologue=Metrology Technician"),
        _pairs("ISO 9001;Audit;Amélioration continue=Continuous improvement;AMDEC=FMEA;"
               "Métrologie=Metrology;Lean;Six Sigma;Affaires réglementaires=Regulatory affairs"),
    ),
    "Legal": DepartmentData(
        2, True,
        ("Directeur juridique|Directrice juridique", "General Counsel"),
        ("Responsable juridique", "Legal Manager"),
        ("Juriste senior", "Senior Legal Counsel"),
        _pairs("Juriste=Legal Counsel;Juriste conformité=Compliance Officer;"
               "Assistant juridique|Assistante juridique=Paralegal"),
        _pairs("Droit des contrats=Contract law;RGPD=GDPR;Propriété intellectuelle=Intellectual property;"
               "Conformité=Compliance;Droit des sociétés=Corporate law;Contentieux=Litigation"),
    ),
    "Customer service": DepartmentData(
        11, False,
        ("Directeur du service client|Directrice du service client", "Customer Service Director"),
        ("Responsable service client", "Customer Service Manager"),
        ("Superviseur service client|Superviseuse service client", "Customer Service Team Lead"),
        _pairs("Conseiller client|Conseillère client=Customer Service Advisor;"
               "Technicien support client|Technicienne support client=Technical Support Specialist;"
               "Chargé de réclamations|Chargée de réclamations=Complaints Handler;"
               "Formateur client|Formatrice client=Customer Trainer"),
        _pairs("Relation client=Customer relations;Zendesk;Gestion des réclamations=Complaint handling;"
               "Support technique=Technical support;Écoute active=Active listening;CRM;"
               "Formation client=Customer training"),
    ),
}

INTERESTS = _pairs(
    "Course à pied=Running;Photographie=Photography;Cuisine=Cooking;Randonnée=Hiking;Vélo=Cycling;"
    "Musique=Music;Lecture=Reading;Jardinage=Gardening;Voyages=Travel;Football;Tennis;Yoga;"
    "Escalade=Climbing;Échecs=Chess;Cinéma=Cinema;Théâtre=Theatre;Bénévolat=Volunteering;"
    "Jeux de société=Board games;Natation=Swimming;Développement durable=Sustainability;"
    "Peinture=Painting;Voile=Sailing"
)

BIO_SENTENCES = {
    "fr": (
        "J'aime partager ce que j'apprends avec mes collègues.",
        "N'hésitez pas à me solliciter sur {skill}.",
        "En dehors du travail : {interest}.",
        "Toujours partant|partante pour un café et une idée nouvelle.",
        "Je cherche des collègues d'autres sites pour échanger sur {other_skill}.",
    ),
    "en": (
        "I enjoy sharing what I learn with colleagues.",
        "Happy to help with anything about {skill}.",
        "Outside work: {interest}.",
        "Always up for a coffee and a new idea.",
        "Looking for colleagues on other sites to talk about {other_skill}.",
    ),
}


# Names that keep their capital inside a sentence.
PROPER_NOUNS = frozenset(
    "Salesforce Python Java Linux Kubernetes Excel Canva Zendesk Workday MATLAB SAP CRM SEO IFRS "
    "ISO GPEC RGPD GDPR ITIL AMDEC FMEA CAO CAD Google Power".split()
)


def _in_sentence(tag: str) -> str:
    """"Négociation" → "négociation", but "Salesforce" and "SAP" stay as they are."""
    first = tag.split()[0]
    return tag if first in PROPER_NOUNS else tag[0].lower() + tag[1:]


@dataclass
class PersonData:
    """One fictitious person; ``manager`` is the index of their manager in the list."""

    index: int
    first_name: str
    last_name: str
    email: str
    external_id: str
    title: str
    department: str
    business_unit: str
    site: str
    country: str  # code
    manager: int | None
    level: int  # 1 for the CEO
    start_date: date
    departed_on: date | None = None
    languages: list[str] = field(default_factory=list)
    skills: list[str] = field(default_factory=list)
    interests: list[str] = field(default_factory=list)
    bio: str = ""
    is_staff: bool = False
    is_superuser: bool = False

    @property
    def display_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def legal_entity(self) -> str:
        return COUNTRIES[self.country].legal_entity

    @property
    def timezone(self) -> str:
        return COUNTRIES[self.country].timezone


@dataclass
class Organisation:
    people: list[PersonData]
    seed: int
    today: date

    def countries(self) -> list[CountryData]:
        used = {p.country for p in self.people}
        return [c for code, c in COUNTRIES.items() if code in used]


def email_local_part(first_name: str, last_name: str) -> str:
    """"Hélène" "De Luca" → "helene.deluca": ASCII only, no spaces or apostrophes."""

    def clean(text: str) -> str:
        ascii_text = fold(text).encode("ascii", "ignore").decode()
        return "".join(c for c in ascii_text if c.isalnum() or c == "-")

    return f"{clean(first_name)}.{clean(last_name)}"


def _capacity(levels: int, span: int = 10) -> int:
    """How many people fit under one manager with ``levels`` levels of teams of ``span``."""
    return 0 if levels <= 0 else span + span * _capacity(levels - 1, span)


def _share(total: int, weights: list[float]) -> list[int]:
    """Split ``total`` by ``weights``, largest remainders first; deterministic."""
    scale = sum(weights)
    exact = [total * w / scale for w in weights]
    shares = [int(x) for x in exact]
    order = sorted(range(len(weights)), key=lambda i: (shares[i] - exact[i], i))
    for i in order[: total - sum(shares)]:
        shares[i] += 1
    return shares


class _Builder:
    # Levels of people under a director: the whole tree is then at most 6 deep.
    LEVELS_UNDER_DIRECTOR = 4

    def __init__(self, *, people: int, seed: int, today: date):
        self.total = people
        self.rng = random.Random(seed)
        self.today = today
        self.people: list[PersonData] = []
        self.emails: dict[str, int] = {}
        self.site_names = list(SITES)
        self.site_weights = [SITES[s][1] for s in self.site_names]

    # -- helpers -------------------------------------------------------------------------
    def email(self, first: str, last: str) -> str:
        base = email_local_part(first, last)
        count = self.emails.get(base, 0) + 1
        self.emails[base] = count
        return f"{base}{count if count > 1 else ''}@{DEMO_DOMAIN}"

    def start_date(self, level: int) -> date:
        rng = self.rng
        if level <= 2:
            days = rng.randint(5 * 365, 15 * 365)
        elif rng.random() < 0.05:
            days = rng.randint(1, 90)  # recent arrivals: the onboarding stage of the journey
        else:
            days = rng.randint(91, 15 * 365)
        return self.today - timedelta(days=days)

    def other_site(self, site: str) -> str:
        """A colleague's site: mostly the same as their manager's."""
        roll = self.rng.random()
        if roll < 0.85:
            return site
        if roll < 0.93:
            country = SITES[site][0]
            same_country = [s for s in self.site_names if SITES[s][0] == country]
            return self.rng.choice(same_country)
        return self.rng.choices(self.site_names, self.site_weights)[0]

    def title(self, department: str, role: str, female: bool, language: str) -> str:
        data = DEPARTMENTS[department]
        pair = self.rng.choice(data.members) if role == "member" else getattr(data, role)
        french, english = pair
        if language != "fr":
            return english
        masculine, _, feminine = french.partition("|")
        return (feminine or masculine) if female else masculine

    def add(
        self,
        *,
        department: str,
        role: str,
        site: str,
        business_unit: str,
        manager: PersonData | None,
        first_name: str | None = None,
        last_name: str | None = None,
        female: bool | None = None,
        email: str | None = None,
        title: str | None = None,
    ) -> PersonData:
        rng = self.rng
        country_code = SITES[site][0]
        # Some people work away from the country their name comes from.
        origin = country_code if rng.random() < 0.92 else rng.choice(sorted(COUNTRIES))
        origin_data = COUNTRIES[origin]
        if female is None:
            female = rng.random() < 0.5
        if first_name is None:
            first_name = rng.choice(origin_data.female_names if female else origin_data.male_names)
        if last_name is None:
            last_name = rng.choice(origin_data.last_names)
        level = 1 if manager is None else manager.level + 1
        native = COUNTRIES[country_code].language
        person = PersonData(
            index=len(self.people),
            first_name=first_name,
            last_name=last_name,
            email=email or self.email(first_name, last_name),
            external_id=f"E{len(self.people) + 1:06d}",
            title=title or self.title(department, role, female, native),
            department=department,
            business_unit=business_unit,
            site=site,
            country=country_code,
            manager=None if manager is None else manager.index,
            level=level,
            start_date=self.start_date(level),
        )
        if email:
            self.emails[email.split("@")[0]] = 1
        self.languages(person, origin_data.language, native)
        self.tags(person, female)
        self.people.append(person)
        return person

    def languages(self, person: PersonData, origin: str, native: str) -> None:
        rng = self.rng
        codes = [native]
        if origin not in codes:
            codes.append(origin)
        if "en" not in codes and (person.level <= 2 or rng.random() < 0.85):
            codes.append("en")
        if person.site == "Barcelona" and rng.random() < 0.6:
            codes.append("ca")
        if rng.random() < 0.12:
            extra = rng.choice(OCCASIONAL_LANGUAGES)
            if extra not in codes:
                codes.append(extra)
        person.languages = codes

    def tags(self, person: PersonData, female: bool) -> None:
        rng = self.rng
        # Tags are in French in France, in English elsewhere: the company's two languages.
        language = 0 if person.country == "FR" else 1
        skills = DEPARTMENTS[person.department].skills
        person.skills = [s[language] for s in rng.sample(skills, rng.randint(1, min(4, len(skills))))]
        person.interests = [i[language] for i in rng.sample(INTERESTS, rng.choice((0, 1, 1, 2, 2, 3)))]
        if rng.random() < 0.5:
            sentences = BIO_SENTENCES["fr" if language == 0 else "en"]
            chosen = rng.sample(sentences, 2)
            if not person.interests:
                chosen = [s for s in chosen if "{interest}" not in s] or [sentences[0]]
            text = " ".join(chosen).format(
                skill=_in_sentence(person.skills[0]),
                other_skill=_in_sentence(person.skills[-1]),
                interest=_in_sentence(person.interests[0]) if person.interests else "",
            )
            person.bio = " ".join(
                (w.split("|")[1] if female else w.split("|")[0]) if "|" in w else w for w in text.split(" ")
            )

    # -- the organisation ----------------------------------------------------------------
    def build(self) -> list[PersonData]:
        rng = self.rng
        # People the demo promises, before anyone else so that they come first.
        camille = PersonData(0, "Camille", "Martin", DEMO_LOGIN_EMAIL, "E000001", "", "", "", "", "", None, 0, self.today)
        operator = PersonData(1, "Sacha", "Lefèvre", DEMO_OPERATOR_EMAIL, "E000002", "", "", "", "", "", None, 0, self.today)
        self.people = [camille, operator]
        self.emails = {"camille.martin": 1, "admin": 1}

        ceo = self.add(department="General management", role="director", site=HEAD_OFFICE,
                       business_unit=CORPORATE, manager=None)
        directors = {}
        for department, data in DEPARTMENTS.items():
            if department == "General management":
                continue
            # Directors sit at the head office or in Paris, a few abroad; Camille's is beside her.
            site = rng.choice(["Lyon", "Lyon", "Lyon", "Paris", "Paris", "Munich", "London", "Madrid"])
            if department == "Communication":
                site = HEAD_OFFICE
            unit = CORPORATE if data.corporate else rng.choice(OPERATING_BUSINESS_UNITS)
            directors[department] = self.add(department=department, role="director", site=site,
                                             business_unit=unit, manager=ceo)

        # The two promised people report to their directors.
        self._fill_promised(camille, department="Communication", title="Responsable communication interne",
                            site=HEAD_OFFICE, manager=directors["Communication"], languages=["fr", "en"],
                            skills=["Communication interne", "Conduite du changement", "Rédaction", "Réseaux sociaux"],
                            interests=["Photographie", "Randonnée"],
                            bio="Je fais vivre le réseau social de l'entreprise : n'hésitez pas à me "
                                "solliciter pour lancer une communauté ou partager une réussite.")
        self._fill_promised(operator, department="IT", title="Administrateur de la plateforme",
                            site=HEAD_OFFICE, manager=directors["IT"], languages=["fr", "en"],
                            skills=["Linux", "Cybersécurité"], interests=[], bio="", staff=True)

        remaining = self.total - len(self.people)
        weighted = list(DEPARTMENTS)
        sizes = _share(remaining, [DEPARTMENTS[d].weight for d in weighted])
        for department, size in zip(weighted, sizes):
            manager = ceo if department == "General management" else directors[department]
            # The CEO's own office is one level shorter, so the tree stays at most 6 deep.
            levels = self.LEVELS_UNDER_DIRECTOR - (1 if manager is ceo else 0)
            self._grow(manager, department, size, levels, business_unit=manager.business_unit)

        self._depart_some()
        return self.people

    def _fill_promised(self, person, *, department, title, site, manager, languages, skills, interests, bio, staff=False):
        person.title, person.department, person.site = title, department, site
        person.country = SITES[site][0]
        person.business_unit = CORPORATE
        person.manager, person.level = manager.index, manager.level + 1
        person.start_date = self.today - timedelta(days=4 * 365 + 17)
        person.languages, person.skills, person.interests, person.bio = languages, skills, interests, bio
        person.is_staff = person.is_superuser = staff

    def _grow(self, manager: PersonData, department: str, count: int, levels: int, *, business_unit: str) -> None:
        """Place ``count`` people under ``manager`` in at most ``levels`` levels."""
        rng = self.rng
        if count <= 0:
            return
        if count <= 10 or levels <= 1:
            for _ in range(count):
                self.add(department=department, role="member", site=self.other_site(manager.site),
                         business_unit=business_unit, manager=manager)
            return
        needed = math.ceil(count / (1 + _capacity(levels - 1)))
        teams = max(needed, min(rng.randint(2, 6), count // 5), 1)
        shares = _share(count - teams, [rng.uniform(0.7, 1.3) for _ in range(teams)])
        is_director = manager.level <= 2
        role = "manager" if is_director else "team_lead"
        leads = []
        for _ in range(teams):
            unit = business_unit
            if is_director and not DEPARTMENTS[department].corporate:
                unit = rng.choice(OPERATING_BUSINESS_UNITS)
            site = self.other_site(manager.site) if not is_director else rng.choices(self.site_names, self.site_weights)[0]
            leads.append((self.add(department=department, role=role, site=site, business_unit=unit, manager=manager), unit))
        # Breadth first: a manager's index is always smaller than their reports'.
        for (lead, unit), share in zip(leads, shares):
            self._grow(lead, department, share, levels - 1, business_unit=unit)

    def _depart_some(self) -> None:
        """About 2 % of the people without reports have left (at least one, so that every
        demo shows a closed account); their accounts are closed."""
        rng = self.rng
        managers = {p.manager for p in self.people}
        leavers = [
            p for p in self.people[2:]
            if p.index not in managers and (self.today - p.start_date).days >= 60
        ]
        for person in rng.sample(leavers, min(len(leavers), max(1, round(len(self.people) * 0.02)))):
            tenure = (self.today - person.start_date).days
            person.departed_on = person.start_date + timedelta(days=rng.randint(30, tenure - 1))


def organisation_build(*, people: int, seed: int, today: date) -> Organisation:
    """The demo organisation of ``people`` people, always the same for the same arguments.

    Dates are counted back from ``today`` so that the demo always has recent arrivals.
    """
    if people < MINIMUM_PEOPLE:
        raise ValueError(f"The demo organisation needs at least {MINIMUM_PEOPLE} people.")
    builder = _Builder(people=people, seed=seed, today=today)
    return Organisation(people=builder.build(), seed=seed, today=today)
