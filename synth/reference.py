"""Reference data of Bourgogne-Franche-Comté: départements, towns, sectors, sizes, names.

Weights are rough orders of magnitude from public INSEE figures (population per
département, sector mix of employer companies); they are meant to be plausible, not
exact.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Departement:
    """A département of the region.

    Attributes:
        code: INSEE code.
        name: name.
        weight: share of the region's employer companies (relative).
        urssaf: code of the URSSAF managing its accounts (``Urssaf_gestion``).
        lat: latitude of its centre.
        lon: longitude of its centre.
        hazard: log-hazard offset (structural fragility of the local economy).
        industry: multiplier of the weight of industry sectors.
        wine: multiplier of the weight of agriculture (vineyards, dairy).
        towns: (commune code, postal code, name, relative weight).
    """

    code: str
    name: str
    weight: float
    urssaf: str
    lat: float
    lon: float
    hazard: float
    industry: float
    wine: float
    towns: tuple[tuple[str, str, str, float], ...]


DEPARTEMENTS: tuple[Departement, ...] = (
    Departement("21", "Côte-d'Or", 0.20, "217", 47.42, 4.77, -0.10, 0.8, 2.0, (
        ("21231", "21000", "DIJON", 10), ("21054", "21200", "BEAUNE", 2.5), ("21166", "21300", "CHENOVE", 1.2),
        ("21355", "21600", "LONGVIC", 1.2), ("21515", "21800", "QUETIGNY", 1), ("21617", "21240", "TALANT", 0.6),
        ("21038", "21130", "AUXONNE", 0.6), ("21425", "21500", "MONTBARD", 0.7),
        ("21464", "21700", "NUITS-SAINT-GEORGES", 0.7), ("21154", "21400", "CHATILLON-SUR-SEINE", 0.6))),
    Departement("25", "Doubs", 0.20, "437", 47.17, 6.35, -0.05, 1.5, 0.6, (
        ("25056", "25000", "BESANCON", 10), ("25388", "25200", "MONTBELIARD", 3), ("25462", "25300", "PONTARLIER", 2),
        ("25031", "25400", "AUDINCOURT", 1.2), ("25547", "25600", "SOCHAUX", 0.8), ("25411", "25500", "MORTEAU", 1.2),
        ("25580", "25700", "VALENTIGNEY", 0.6), ("25047", "25110", "BAUME-LES-DAMES", 0.6),
        ("25434", "25290", "ORNANS", 0.5))),
    Departement("39", "Jura", 0.09, "437", 46.73, 5.70, 0.0, 1.4, 1.2, (
        ("39300", "39000", "LONS-LE-SAUNIER", 4), ("39198", "39100", "DOLE", 4), ("39478", "39200", "SAINT-CLAUDE", 2),
        ("39097", "39300", "CHAMPAGNOLE", 1.2), ("39370", "39400", "MOREZ", 1), ("39434", "39800", "POLIGNY", 0.6),
        ("39013", "39600", "ARBOIS", 0.6), ("39526", "39500", "TAVAUX", 0.8))),
    Departement("58", "Nièvre", 0.07, "217", 47.12, 3.50, 0.15, 0.9, 0.8, (
        ("58194", "58000", "NEVERS", 6), ("58086", "58200", "COSNE-COURS-SUR-LOIRE", 1.5), ("58095", "58300", "DECIZE", 1),
        ("58079", "58500", "CLAMECY", 0.7), ("58303", "58640", "VARENNES-VAUZELLES", 1),
        ("58117", "58600", "FOURCHAMBAULT", 0.5), ("58059", "58400", "LA CHARITE-SUR-LOIRE", 0.6),
        ("58134", "58160", "IMPHY", 0.5))),
    Departement("70", "Haute-Saône", 0.08, "437", 47.64, 6.09, 0.10, 1.3, 0.7, (
        ("70550", "70000", "VESOUL", 5), ("70310", "70200", "LURE", 1.5), ("70285", "70400", "HERICOURT", 1.5),
        ("70311", "70300", "LUXEUIL-LES-BAINS", 1.2), ("70279", "70100", "GRAY", 1.2),
        ("70467", "70800", "SAINT-LOUP-SUR-SEMOUSE", 0.5), ("70446", "70190", "RIOZ", 0.5))),
    Departement("71", "Saône-et-Loire", 0.20, "217", 46.64, 4.54, 0.0, 1.2, 1.5, (
        ("71076", "71100", "CHALON-SUR-SAONE", 6), ("71270", "71000", "MACON", 5), ("71153", "71200", "LE CREUSOT", 2),
        ("71306", "71300", "MONTCEAU-LES-MINES", 2), ("71014", "71400", "AUTUN", 1.2),
        ("71342", "71600", "PARAY-LE-MONIAL", 1), ("71176", "71160", "DIGOIN", 0.7), ("71263", "71500", "LOUHANS", 0.8),
        ("71230", "71130", "GUEUGNON", 0.6), ("71105", "71850", "CHARNAY-LES-MACON", 0.8))),
    Departement("89", "Yonne", 0.11, "217", 47.86, 3.57, 0.05, 0.9, 1.5, (
        ("89024", "89000", "AUXERRE", 6), ("89387", "89100", "SENS", 4), ("89206", "89300", "JOIGNY", 1.2),
        ("89025", "89200", "AVALLON", 1), ("89257", "89400", "MIGENNES", 0.7), ("89418", "89700", "TONNERRE", 0.6),
        ("89345", "89600", "SAINT-FLORENTIN", 0.6), ("89464", "89500", "VILLENEUVE-SUR-YONNE", 0.5))),
    Departement("90", "Territoire de Belfort", 0.05, "437", 47.63, 6.86, 0.10, 1.5, 0.2, (
        ("90010", "90000", "BELFORT", 8), ("90033", "90100", "DELLE", 1), ("90008", "90800", "BAVILLIERS", 0.8),
        ("90099", "90300", "VALDOIE", 0.7), ("90032", "90400", "DANJOUTIN", 0.5), ("90053", "90600", "GRANDVILLARS", 0.4),
        ("90009", "90500", "BEAUCOURT", 0.4))),
)  # fmt: skip

# Head offices of a few group heads outside the region (groups are national).
OUTSIDE_TOWNS: tuple[tuple[str, str, str, float, float], ...] = (
    ("75108", "75008", "PARIS 8", 48.875, 2.31),
    ("75116", "75016", "PARIS 16", 48.86, 2.27),
    ("69383", "69003", "LYON 3EME", 45.76, 4.85),
    ("67482", "67000", "STRASBOURG", 48.58, 7.75),
    ("68224", "68100", "MULHOUSE", 47.75, 7.34),
)

RURAL_STEMS = ("SAINT-MARTIN", "SAINT-GERMAIN", "VILLERS", "FONTAINE", "MONTIGNY", "CHEVIGNY", "MARIGNY",
               "SAUVIGNY", "VAUX", "CHAMPAGNEY", "BREVANS", "ETALANS", "MAICHE", "CHARMOY", "SAINT-REMY")  # fmt: skip
RURAL_SUFFIXES = ("", "-SUR-SAONE", "-LES-BOIS", "-LE-CHATEAU", "-EN-MONTAGNE", "-LA-VILLE", "-SUR-DOUBS",
                  "-SUR-OUCHE", "-LES-FORGES", "-EN-BRESSE")  # fmt: skip


@dataclass(frozen=True)
class Sector:
    """A sector (group of NAF codes sharing a shock and a base fragility).

    Attributes:
        key: short English key.
        weight: share of employer companies (relative, before département tilts).
        hazard: log-hazard offset.
        naf: NAF rev. 2 codes with relative weights.
        industrial: tilted by the département's ``industry`` multiplier.
        farm: tilted by the département's ``wine`` multiplier.
        association_share: share of associations (legal form 9220).
    """

    key: str
    weight: float
    hazard: float
    naf: tuple[tuple[str, float], ...]
    industrial: bool = False
    farm: bool = False
    association_share: float = 0.0


SECTORS: tuple[Sector, ...] = (
    Sector("agriculture", 2.5, -0.3, (("01.21Z", 3), ("01.41Z", 2), ("01.11Z", 1), ("02.20Z", 1)), farm=True),
    Sector("agrifood", 4.0, -0.1, (("10.51C", 3), ("10.13A", 2), ("10.71C", 2), ("11.02B", 2), ("10.11Z", 1)),
           industrial=True),
    Sector("metal_mechanics", 7.0, 0.0, (("25.62B", 4), ("25.11Z", 2), ("24.51Z", 1), ("28.29B", 2), ("25.73A", 1),
                                         ("33.12Z", 2)), industrial=True),
    Sector("automotive_plastics", 4.0, 0.1, (("29.32Z", 3), ("22.29A", 3), ("22.19Z", 1), ("29.10Z", 0.3)),
           industrial=True),
    Sector("other_industry", 5.0, 0.0, (("26.52Z", 2), ("27.11Z", 1), ("16.10A", 2), ("31.09B", 1), ("20.59Z", 1),
                                        ("32.50A", 1)), industrial=True),
    Sector("construction", 15.0, 0.35, (("41.20A", 2), ("43.21A", 3), ("43.22A", 3), ("43.32A", 2), ("43.99C", 2),
                                        ("42.11Z", 1), ("43.91B", 1))),
    Sector("motor_trade", 4.0, 0.1, (("45.11Z", 2), ("45.20A", 3))),
    Sector("wholesale", 7.0, 0.0, (("46.69B", 2), ("46.90Z", 2), ("46.73A", 1), ("46.34Z", 1))),
    Sector("retail", 10.0, 0.15, (("47.11D", 2), ("47.11F", 2), ("47.73Z", 2), ("47.71Z", 1), ("47.52A", 1))),
    Sector("transport", 6.0, 0.25, (("49.41A", 4), ("49.41B", 2), ("52.29A", 1), ("49.39A", 1))),
    Sector("hospitality", 7.0, 0.45, (("56.10A", 4), ("56.10C", 1), ("55.10Z", 2), ("56.21Z", 1))),
    Sector("information", 2.0, -0.1, (("62.01Z", 2), ("62.02A", 2), ("58.13Z", 0.5))),
    Sector("finance_real_estate", 2.0, -0.4, (("68.20B", 2), ("66.22Z", 2), ("64.19Z", 0.5))),
    Sector("business_services", 10.0, 0.05, (("69.20Z", 2), ("71.12B", 2), ("70.22Z", 1), ("73.11Z", 1),
                                             ("78.20Z", 1), ("80.10Z", 1), ("81.21Z", 3), ("82.99Z", 1))),
    Sector("health_social", 9.0, -0.5, (("87.10A", 3), ("88.10A", 2), ("86.10Z", 1), ("86.22C", 1), ("86.90D", 1)),
           association_share=0.4),
    Sector("other_services", 5.5, 0.1, (("96.02A", 2), ("93.12Z", 1), ("94.99Z", 1), ("85.59A", 2), ("95.11Z", 0.5)),
           association_share=0.25),
)  # fmt: skip

HOLDING_NAF = "70.10Z"

# Public-sector units (they cannot be subject to a procédure collective).
PUBLIC_UNITS: tuple[tuple[str, str, str], ...] = (
    ("84.11Z", "7210", "COMMUNE DE"),
    ("86.10Z", "7364", "CENTRE HOSPITALIER DE"),
    ("85.31Z", "7331", "LYCEE PROFESSIONNEL DE"),
)

# INSEE headcount bands: (code, lowest, highest headcount).
BANDS: tuple[tuple[str, int, int], ...] = (
    ("00", 0, 0), ("01", 1, 2), ("02", 3, 5), ("03", 6, 9), ("11", 10, 19), ("12", 20, 49), ("21", 50, 99),
    ("22", 100, 199), ("31", 200, 249), ("32", 250, 499), ("41", 500, 999), ("42", 1000, 1999),
    ("51", 2000, 4999), ("52", 5000, 9999), ("53", 10000, 10**9),
)  # fmt: skip

# Legal forms of private companies with relative weights.
LEGAL_FORMS: tuple[tuple[str, float], ...] = (
    ("5710", 45), ("5499", 30), ("5720", 8), ("5599", 5), ("5498", 6), ("1000", 2), ("6540", 1), ("5308", 1),
)  # fmt: skip

SURNAMES = (
    "MARTIN", "BERNARD", "THOMAS", "PETIT", "ROBERT", "RICHARD", "DURAND", "DUBOIS", "MOREAU", "LAURENT", "SIMON",
    "MICHEL", "LEFEBVRE", "LEROY", "ROUX", "DAVID", "BERTRAND", "MOREL", "FOURNIER", "GIRARD", "BONNET", "DUPONT",
    "LAMBERT", "FONTAINE", "ROUSSEAU", "VINCENT", "MULLER", "FAURE", "MERCIER", "BLANC", "GUERIN", "BOYER",
    "GARNIER", "CHEVALIER", "LEGRAND", "GAUTHIER", "PERRIN", "ROBIN", "CLEMENT", "MORIN", "NICOLAS", "HENRY",
    "MATHIEU", "MASSON", "MARCHAND", "DUVAL", "DENIS", "DUMONT", "LEMAIRE", "MEYER", "DUFOUR", "MEUNIER", "BRUN",
    "BLANCHARD", "JOLY", "LUCAS", "BRUNET", "BARBIER", "ARNAUD", "ROCHE", "RENARD", "SCHMITT", "COLIN", "CARON",
    "PICARD", "AUBERT", "RENAUD", "LACROIX", "BOURGEOIS", "GUYOT", "VUILLEMIN", "JEANNIN", "CUENOT", "FAIVRE",
    "GROSJEAN", "VUILLAUME", "PHEULPIN", "JACQUOT", "MAIRE", "BOILLOT", "MOUGIN", "COURTOT", "PERNOT", "BRESSON",
    "GUILLEMIN", "MONNOT", "PARIS", "BILLOT", "CHAPUIS", "COTTET", "PRETRE", "RACINE", "BARTHOD", "JOUFFROY",
)  # fmt: skip

FIRST_NAMES = (
    "JEAN", "PIERRE", "MARIE", "MICHEL", "ANNE", "PHILIPPE", "NATHALIE", "ISABELLE", "FRANCOIS", "CATHERINE",
    "NICOLAS", "SYLVIE", "LAURENT", "CHRISTINE", "STEPHANE", "SANDRINE", "OLIVIER", "VALERIE", "JULIEN", "CELINE",
    "THOMAS", "CAROLINE", "SEBASTIEN", "AURELIE", "DAVID", "EMILIE", "PATRICK", "CLAIRE", "ERIC", "SOPHIE",
    "ALAIN", "HELENE", "BRUNO", "MARTINE", "MAXIME", "CAMILLE", "ANTOINE", "LUCIE", "BERNARD", "AGNES",
)  # fmt: skip

# Words used in company names, per sector.
TRADE_WORDS: dict[str, tuple[str, ...]] = {
    "agriculture": ("DOMAINE", "VIGNOBLES", "ELEVAGE", "EXPLOITATION FORESTIERE", "PEPINIERES"),
    "agrifood": ("FROMAGERIE", "SALAISONS", "FRUITIERE", "CAVES", "BOULANGERIE INDUSTRIELLE", "ABATTOIR"),
    "metal_mechanics": ("MECANIQUE", "DECOLLETAGE", "FONDERIE", "CHAUDRONNERIE", "USINAGE", "TRAITEMENT DE SURFACE"),
    "automotive_plastics": ("PLASTURGIE", "INJECTION PLASTIQUE", "EQUIPEMENTS AUTOMOBILES", "CAOUTCHOUC"),
    "other_industry": ("HORLOGERIE", "SCIERIE", "MEUBLES", "ELECTROTECHNIQUE", "LUNETTERIE", "CHIMIE"),
    "construction": ("BATIMENT", "MACONNERIE", "ELECTRICITE", "PLOMBERIE CHAUFFAGE", "MENUISERIE", "TRAVAUX PUBLICS",
                     "COUVERTURE", "PEINTURE"),
    "motor_trade": ("GARAGE", "AUTOMOBILES", "CARROSSERIE"),
    "wholesale": ("DISTRIBUTION", "NEGOCE", "FOURNITURES INDUSTRIELLES", "MATERIAUX"),
    "retail": ("SUPERMARCHE", "PHARMACIE", "OPTIQUE", "BRICOLAGE", "MODE"),
    "transport": ("TRANSPORTS", "LOGISTIQUE", "AUTOCARS", "DEMENAGEMENTS"),
    "hospitality": ("RESTAURANT", "HOTEL", "BRASSERIE", "TRAITEUR"),
    "information": ("INFORMATIQUE", "LOGICIELS", "NUMERIQUE"),
    "finance_real_estate": ("IMMOBILIER", "GESTION", "COURTAGE"),
    "business_services": ("EXPERTISE COMPTABLE", "INGENIERIE", "CONSEIL", "INTERIM", "SECURITE", "NETTOYAGE",
                          "SERVICES"),
    "health_social": ("EHPAD", "CLINIQUE", "AIDE A DOMICILE", "CENTRE DENTAIRE", "SOINS"),
    "other_services": ("FORMATION", "SPORTS", "COIFFURE", "LOISIRS"),
}  # fmt: skip

PLACE_WORDS = ("DU JURA", "DE BOURGOGNE", "COMTOIS", "DU DOUBS", "DE L'YONNE", "DU MORVAN", "DE SAONE",
               "DU HAUT-DOUBS", "DE LA BRESSE", "DES VOSGES SAONOISES", "DU NIVERNAIS", "BELFORTAINS")  # fmt: skip
