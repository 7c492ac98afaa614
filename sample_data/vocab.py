"""Small vocabularies of the generator that are not reference data (texts, makes, places)."""

from __future__ import annotations

import numpy as np

LOCALITIES = np.array(
    [
        "Gandhi Nagar",
        "Nehru Colony",
        "Shivaji Chowk",
        "Station Road",
        "Main Bazaar",
        "Rajiv Nagar",
        "Indira Colony",
        "Ambedkar Nagar",
        "Subhash Marg",
        "Civil Lines",
        "Ram Nagar",
        "Krishna Colony",
        "MG Road",
        "Old Town",
        "Sector 4",
        "Sector 12",
        "Azad Nagar",
        "Patel Nagar",
        "Shastri Nagar",
        "Tilak Nagar",
        "Jawahar Nagar",
        "Vivekanand Colony",
        "Bus Stand Road",
        "Mandi Road",
        "Hospital Road",
        "Court Road",
        "Railway Colony",
        "Housing Board Colony",
        "Police Lines",
        "Ward No. 7",
        "Ward No. 15",
        "Chandni Chowk",
        "Lal Bagh",
        "Rampur Khurd",
        "Nayagaon",
        "Islampur",
        "Shantipuram",
        "Kamla Nagar",
        "Saket Nagar",
        "Anand Vihar",
    ],
    dtype=object,
)
OCCUPATIONS_M = np.array(
    [
        "LABOURER",
        "FARMER",
        "DRIVER",
        "STUDENT",
        "SHOPKEEPER",
        "UNEMPLOYED",
        "MECHANIC",
        "BUSINESS",
        "PRIVATE JOB",
        "ELECTRICIAN",
        "CARPENTER",
        "GOVT EMPLOYEE",
    ],
    dtype=object,
)
OCCUPATIONS_F = np.array(
    [
        "HOUSEWIFE",
        "STUDENT",
        "LABOURER",
        "TEACHER",
        "NURSE",
        "PRIVATE JOB",
        "FARMER",
        "SHOPKEEPER",
        "GOVT EMPLOYEE",
        "UNEMPLOYED",
    ],
    dtype=object,
)
COMPLEXIONS = np.array(["FAIR", "WHEATISH", "DARK", "WHEATISH", "DUSKY", "VERY FAIR"], dtype=object)
MARKS = np.array(
    [
        "mole on left cheek",
        "mole on right cheek",
        "cut mark on forehead",
        "burn mark on right hand",
        "tattoo 'OM' on right forearm",
        "tattoo of heart on left arm",
        "scar on chin",
        "wart near left eye",
        "missing left index finger",
        "birth mark on neck",
        "stitch mark on left eyebrow",
        "tattoo of name 'MAA' on left wrist",
        "black mole above lip",
        "scar on left knee",
    ],
    dtype=object,
)
IO_RANKS = np.array(["SI", "SI", "SI", "ASI", "INSPECTOR", "HC", "DSP"], dtype=object)
VEHICLE_MAKES = np.array(
    [
        "HERO SPLENDOR PLUS",
        "HONDA ACTIVA 6G",
        "BAJAJ PULSAR 150",
        "TVS APACHE RTR 160",
        "ROYAL ENFIELD CLASSIC 350",
        "HONDA SHINE",
        "BAJAJ PLATINA",
        "TVS JUPITER",
        "MARUTI SWIFT",
        "MARUTI ALTO 800",
        "MARUTI WAGON R",
        "HYUNDAI CRETA",
        "MAHINDRA BOLERO",
        "TATA ACE",
        "HYUNDAI I20",
        "MAHINDRA SCORPIO",
    ],
    dtype=object,
)
#: Vehicle registration prefix of each State code (the RTO letters).
RTO_PREFIX = {
    "01": "JK", "02": "HP", "03": "PB", "04": "CH", "05": "UK", "06": "HR", "07": "DL", "08": "RJ",
    "09": "UP", "10": "BR", "11": "SK", "12": "AR", "13": "NL", "14": "MN", "15": "MZ", "16": "TR",
    "17": "ML", "18": "AS", "19": "WB", "20": "JH", "21": "OD", "22": "CG", "23": "MP", "24": "GJ",
    "27": "MH", "28": "AP", "29": "KA", "30": "GA", "31": "LD", "32": "KL", "33": "TN", "34": "PY",
    "35": "AN", "36": "TS", "37": "LA", "38": "DD",
}  # fmt: skip
PROPERTY_ITEMS = {
    "MOBILE": (["Samsung Galaxy mobile phone", "Redmi Note mobile phone", "Vivo mobile phone", "Oppo mobile phone", "Apple iPhone"], 8000, 60000),
    "CASH": (["Cash", "Cash in purse", "Cash from cash box"], 2000, 200000),
    "JEWELLERY": (["Gold chain", "Gold mangalsutra", "Silver anklets", "Gold earrings", "Gold ring", "Gold bangles"], 10000, 250000),
    "OTHER": (["LED TV", "Laptop", "Gas cylinder", "Copper wire", "Water pump motor", "Bicycle", "Household articles", "Documents and ATM card"], 1000, 60000),
    "DRUGS": (["Ganja", "Smack (heroin)", "Charas", "Codeine cough syrup bottles", "Poppy husk (doda post)"], 5000, 500000),
    "ARMS": (["Country-made pistol (katta) with cartridges", "Country-made revolver", "Knife (dagger)", "12 bore gun"], 2000, 50000),
    "LIQUOR": (["Illicit country liquor", "Unlicensed IMFL bottles", "Lahan (wash)"], 500, 50000),
}  # fmt: skip
PLACE_TEXT = {
    "PROPERTY": "broke into the premises and stole {item}",
    "VIOLENT": "attacked the victim after a quarrel",
    "SEXUAL": "committed the offence against the victim",
    "CYBER_FRAUD": "cheated the complainant through phone and online transfer",
    "ECONOMIC": "dishonestly induced the complainant to part with money",
    "PUBLIC_ORDER": "assembled unlawfully and created disorder",
    "TRAFFIC": "drove the vehicle rashly and negligently",
    "SLL": "was found in possession of contraband during checking",
    "ANY": "committed the offence",
}
