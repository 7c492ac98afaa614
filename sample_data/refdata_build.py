"""Build the reference-data seeds of the warehouse, deterministically.

Run as ``uv run python -m sample_data.refdata_build``. Everything the seeds hold is either a
hand-curated literal in this file (States, districts, acts, crime heads, sections, the IPC/BNS
crosswalk, the ITSSO and NDSO lists, the modus-operandi vocabulary, the simulation parameters)
or derived from those literals by a documented rule (population projection, police-station
master); the sections' maximum punishments, add-on flags and their statutory sources are read
from the reviewed data file ``sample_data/refdata/section_punishment.csv``. The only randomness is the synthetic police-station master, drawn from
``numpy.random.default_rng(RNG_SEED)``: the same code always writes byte-identical files.

Outputs (UTF-8, header row, ``\\n`` line ends, codes as zero-padded strings):

* ``dbt_project/seeds/ref_*.csv`` (the reference seeds, see ``docs/reference_data.md``)
* ``sample_data/calibration/crime_head_params.csv`` (simulation parameters, not official data)
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from core.settings import REPO_ROOT, SEEDS_DIR

CALIBRATION_DIR = REPO_ROOT / "sample_data" / "calibration"
RNG_SEED = 17074
TOTAL_POLICE_STATIONS = 17_074
MIN_STATIONS_PER_DISTRICT = 3
#: NCRB Crime in India 2022: 58,24,946 cognizable crimes at a rate of 422.2 per lakh.
NCRB_2022_CASES = 5_824_946
NCRB_2022_RATE = 422.2
#: Target of the projection: all-India population on 1 July 2022 (the denominator NCRB implies).
PROJECTION_TARGET_2022 = 1_379_700_000
CENSUS_DATE = date(2011, 3, 1)
PROJECTION_YEARS = range(2015, 2027)
INDIA_CENSUS_2011 = 1_210_854_977
INDIA_CENSUS_2011_FEMALE = 587_584_719

# The literal tables below are kept in table layout: the formatter leaves them alone.
# fmt: off
# =============================================================================================
# States and Union Territories
# =============================================================================================


@dataclass(frozen=True)
class State:
    code: str
    name: str
    state_type: str  # STATE | UT
    region: str
    pop2011: int
    female2011: int
    growth_pct: float  # decadal growth 2001-2011, %
    area: int  # sq km
    crime_rate_index: float
    script: str
    bbox: tuple[float, float, float, float]  # lat_min, lat_max, lon_min, lon_max
    metro_city: str
    vehicle_prefix: str
    note: str


# Region: the Zonal Councils (States Reorganisation Act 1956; North Eastern Council for the
# eight North-East States); Lakshadweep and Andaman & Nicobar are special invitees of the
# Southern Zonal Council.
# crime_rate_index: approximate ratio of the State's NCRB 2022 total cognizable crime rate
# (IPC + SLL, per lakh) to the national 422.2 -- an order of magnitude for calibrating
# synthetic volumes, not an official figure.
STATES: tuple[State, ...] = (
    State("01", "Jammu and Kashmir", "UT", "NORTH", 12_267_013, 5_783_107, 23.82, 42_241, 0.57,
          "Latin", (32.25, 35.10, 73.40, 76.80), "Srinagar", "JK",
          "UT since 31 Oct 2019. Census 2011 figures of the former State less Leh and Kargil "
          "(2001 base 99,07,161); area is the area under Indian administration. Records are "
          "mostly English/Urdu: Latin script used for local-language names."),
    State("02", "Himachal Pradesh", "STATE", "NORTH", 6_864_602, 3_382_729, 12.94, 55_673, 0.64,
          "Devanagari", (30.38, 33.25, 75.58, 79.00), "Shimla", "HP", ""),
    State("03", "Punjab", "STATE", "NORTH", 27_743_338, 13_103_873, 13.89, 50_362, 0.56,
          "Gurmukhi", (29.53, 32.51, 73.87, 76.94), "Ludhiana", "PB", ""),
    State("04", "Chandigarh", "UT", "NORTH", 1_055_450, 474_787, 17.19, 114, 0.95,
          "Latin", (30.66, 30.80, 76.68, 76.85), "Chandigarh", "CH",
          "Records mostly in English: Latin script."),
    State("05", "Uttarakhand", "STATE", "CENTRAL", 10_086_292, 4_948_519, 18.81, 53_483, 0.70,
          "Devanagari", (28.71, 31.46, 77.57, 81.05), "Dehradun", "UK", ""),
    State("06", "Haryana", "STATE", "NORTH", 25_351_462, 11_856_728, 19.90, 44_212, 1.91,
          "Devanagari", (27.65, 30.93, 74.46, 77.60), "Faridabad", "HR", ""),
    State("07", "Delhi", "UT", "NORTH", 16_787_941, 7_800_615, 21.21, 1_484, 3.48,
          "Devanagari", (28.40, 28.89, 76.84, 77.35), "Delhi", "DL",
          "National Capital Territory; 11 revenue districts (police districts differ)."),
    State("08", "Rajasthan", "STATE", "NORTH", 68_548_437, 32_997_440, 21.31, 342_239, 0.88,
          "Devanagari", (23.05, 30.20, 69.48, 78.27), "Jaipur", "RJ",
          "41 districts after the December 2024 reorganisation (50 in 2023-24)."),
    State("09", "Uttar Pradesh", "STATE", "CENTRAL", 199_812_341, 95_331_831, 20.23, 240_928, 0.76,
          "Devanagari", (23.87, 30.41, 77.09, 84.64), "Lucknow", "UP",
          "Lucknow is the largest city proper (Kanpur's agglomeration is similar in size)."),
    State("10", "Bihar", "STATE", "EAST", 104_099_452, 49_821_295, 25.42, 94_163, 0.66,
          "Devanagari", (24.28, 27.53, 83.32, 88.30), "Patna", "BR", ""),
    State("11", "Sikkim", "STATE", "NORTH_EAST", 610_577, 287_507, 12.89, 7_096, 0.52,
          "Latin", (27.07, 28.13, 88.00, 88.92), "Gangtok", "SK",
          "English is the principal official language of records: Latin script."),
    State("12", "Arunachal Pradesh", "STATE", "NORTH_EAST", 1_383_727, 669_815, 26.03, 83_743, 0.62,
          "Latin", (26.63, 29.47, 91.55, 97.42), "Itanagar", "AR", "Records in English: Latin script."),
    State("13", "Nagaland", "STATE", "NORTH_EAST", 1_978_502, 953_853, -0.58, 16_579, 0.22,
          "Latin", (25.20, 27.05, 93.32, 95.25), "Dimapur", "NL",
          "Only State with negative 2001-2011 growth (2001 count disputed): projection declines."),
    State("14", "Manipur", "STATE", "NORTH_EAST", 2_855_794, 1_417_208, 24.50, 22_327, 0.28,
          "Latin", (23.83, 25.70, 92.97, 94.78), "Imphal", "MN",
          "Census total includes the estimated population of the Mao-Maram, Paomata and "
          "Purul sub-divisions. Records in English: Latin script."),
    State("15", "Mizoram", "STATE", "NORTH_EAST", 1_097_206, 541_867, 23.48, 21_081, 0.58,
          "Latin", (21.94, 24.53, 92.25, 93.45), "Aizawl", "MZ", "Mizo is written in Latin script."),
    State("16", "Tripura", "STATE", "NORTH_EAST", 3_673_917, 1_799_541, 14.84, 10_486, 0.35,
          "Bengali", (22.95, 24.53, 91.15, 92.34), "Agartala", "TR", ""),
    State("17", "Meghalaya", "STATE", "NORTH_EAST", 2_966_889, 1_475_057, 27.95, 22_429, 0.33,
          "Latin", (25.02, 26.12, 89.82, 92.81), "Shillong", "ML",
          "Khasi and Garo are written in Latin script."),
    State("18", "Assam", "STATE", "NORTH_EAST", 31_205_576, 15_266_133, 17.07, 78_438, 0.80,
          "Bengali", (24.13, 28.00, 89.69, 96.02), "Guwahati", "AS",
          "Assamese uses the Bengali-Assamese script (coded Bengali)."),
    State("19", "West Bengal", "STATE", "EAST", 91_276_115, 44_467_088, 13.84, 88_752, 0.46,
          "Bengali", (21.50, 27.22, 85.82, 89.88), "Kolkata", "WB", ""),
    State("20", "Jharkhand", "STATE", "EAST", 32_988_134, 16_057_819, 22.42, 79_716, 0.60,
          "Devanagari", (21.96, 25.35, 83.32, 87.96), "Jamshedpur", "JH",
          "Jamshedpur is the largest urban agglomeration (Dhanbad, Ranchi similar)."),
    State("21", "Odisha", "STATE", "EAST", 41_974_218, 20_762_082, 14.05, 155_707, 0.98,
          "Odia", (17.78, 22.57, 81.38, 87.49), "Bhubaneswar", "OD", ""),
    State("22", "Chhattisgarh", "STATE", "CENTRAL", 25_545_198, 12_712_303, 22.61, 135_192, 0.90,
          "Devanagari", (17.78, 24.10, 80.25, 84.40), "Raipur", "CG", ""),
    State("23", "Madhya Pradesh", "STATE", "CENTRAL", 72_626_809, 35_014_503, 20.35, 308_252, 1.34,
          "Devanagari", (21.07, 26.87, 74.03, 82.82), "Indore", "MP", ""),
    State("24", "Gujarat", "STATE", "WEST", 60_439_692, 28_948_432, 19.28, 196_244, 1.66,
          "Gujarati", (20.12, 24.71, 68.16, 74.48), "Ahmedabad", "GJ",
          "Own software (xml extracts). High SLL volume from prohibition cases."),
    State("27", "Maharashtra", "STATE", "WEST", 112_374_333, 54_131_277, 15.99, 307_713, 1.08,
          "Devanagari", (15.60, 22.03, 72.64, 80.90), "Mumbai", "MH", "Marathi in Devanagari."),
    State("28", "Andhra Pradesh", "STATE", "SOUTH", 49_577_103, 24_746_590, 9.21, 162_968, 0.78,
          "Telugu", (12.62, 19.92, 76.76, 84.77), "Visakhapatnam", "AP",
          "Residual State after 2 Jun 2014, including the seven Polavaram mandals moved from "
          "Khammam (1,90,304 persons); the 13-district Census count is 4,93,86,799. Growth "
          "from the 2001 count of the same area (4,52,22,736). Own software (jsonl extracts)."),
    State("29", "Karnataka", "STATE", "SOUTH", 61_095_297, 30_128_640, 15.60, 191_791, 0.74,
          "Kannada", (11.59, 18.45, 74.05, 78.59), "Bengaluru", "KA", "Own software (jsonl extracts)."),
    State("30", "Goa", "STATE", "WEST", 1_458_545, 719_405, 8.23, 3_702, 0.62,
          "Latin", (14.89, 15.80, 73.68, 74.34), "Vasco da Gama", "GA",
          "Records mostly in English: Latin script. Own software (xml extracts)."),
    State("31", "Lakshadweep", "UT", "SOUTH", 64_473, 31_350, 6.30, 32, 0.18,
          "Malayalam", (8.20, 11.75, 72.10, 73.75), "Kavaratti", "LD",
          "Islands spread over ~400 km: the bounding box is mostly sea."),
    State("32", "Kerala", "STATE", "SOUTH", 33_406_061, 17_378_649, 4.91, 38_852, 3.00,
          "Malayalam", (8.18, 12.79, 74.86, 77.42), "Kochi", "KL",
          "Highest total cognizable crime rate among States (large SLL and petty-case registration)."),
    State("33", "Tamil Nadu", "STATE", "SOUTH", 72_147_030, 36_009_055, 15.61, 130_058, 1.30,
          "Tamil", (8.07, 13.57, 76.23, 80.35), "Chennai", "TN", "Own software (jsonl extracts)."),
    State("34", "Puducherry", "UT", "SOUTH", 1_247_953, 635_442, 27.72, 479, 0.85,
          "Tamil", (10.85, 16.75, 75.50, 82.25), "Puducherry", "PY",
          "Four separated districts (Puducherry, Karaikal, Mahe in Kerala, Yanam in Andhra "
          "Pradesh): the bounding box spans them and is mostly outside the UT."),
    State("35", "Andaman and Nicobar Islands", "UT", "SOUTH", 380_581, 177_710, 6.86, 8_249, 0.70,
          "Latin", (6.75, 13.70, 92.20, 93.95), "Sri Vijaya Puram", "AN",
          "Capital Port Blair renamed Sri Vijaya Puram (2024). Records in English: Latin script."),
    State("36", "Telangana", "STATE", "SOUTH", 35_003_674, 17_392_041, 13.58, 112_077, 1.12,
          "Telugu", (15.83, 19.92, 77.23, 81.33), "Hyderabad", "TG",
          "Formed 2 Jun 2014. Census 2011 count of the present territory (3,50,03,674, i.e. "
          "without the seven Polavaram mandals). Growth from the 2001 count of the ten "
          "districts (3,09,87,271). Own software (jsonl extracts)."),
    State("37", "Ladakh", "UT", "NORTH", 274_289, 117_533, 15.96, 59_146, 0.35,
          "Latin", (32.30, 35.70, 75.30, 79.50), "Leh", "LA",
          "UT since 31 Oct 2019: Census 2011 Leh (1,33,487) + Kargil (1,40,802); growth from "
          "their 2001 total 2,36,539; area under Indian administration. Latin script."),
    State("38", "Dadra and Nagar Haveli and Daman and Diu", "UT", "WEST", 586_956, 242_895, 55.00, 602,
          0.40, "Gujarati", (20.05, 20.75, 70.85, 73.25), "Silvassa", "DD",
          "Merged 26 Jan 2020 from codes 25 (Daman and Diu) and 26 (Dadra and Nagar Haveli): "
          "Census 2011 sums 2,43,247 + 3,43,709; 2001 base 3,78,694. Codes 25 and 26 are retired."),
)

#: Formats (EXTRACT_SPEC.md "Three formats") and the software each own-software State runs.
#: Names and versions of the own systems are plausible placeholders, not verified product names.
OWN_SOFTWARE: dict[str, tuple[str, str]] = {
    "24": ("xml", "eGujCop 3.2"),
    "28": ("jsonl", "AP Police CCTNS 2.4"),
    "29": ("jsonl", "Karnataka Police IT 2.0"),
    "30": ("xml", "Goa Police CCTNS 2.1"),
    "33": ("jsonl", "TN Police CCTNS 3.1"),
    "36": ("jsonl", "TSCOP CCTNS 2.7"),
}
CAS_SOFTWARE = "CAS 4.5"

#: Approximate police stations per State (BPRD "Data on Police Organisations" orders of
#: magnitude, 2022-23) used as weights; scaled to exactly 17,074 by largest remainder.
PS_WEIGHTS: dict[str, int] = {
    "01": 240, "02": 130, "03": 420, "04": 17, "05": 160, "06": 370, "07": 225, "08": 930,
    "09": 1570, "10": 1150, "11": 30, "12": 100, "13": 80, "14": 85, "15": 45, "16": 85,
    "17": 80, "18": 360, "19": 610, "20": 560, "21": 650, "22": 470, "23": 1160, "24": 750,
    "27": 1170, "28": 950, "29": 1060, "30": 32, "31": 10, "32": 560, "33": 1450, "34": 50,
    "35": 25, "36": 800, "37": 12, "38": 10,
}

#: Share of a State's police stations that are urban (outside the big-city districts).
URBAN_SHARE: dict[str, float] = {
    "04": 1.0, "07": 1.0, "31": 0.4, "34": 0.7, "38": 0.6, "30": 0.6, "32": 0.45, "33": 0.45,
    "27": 0.4, "24": 0.4, "36": 0.35, "29": 0.35, "06": 0.35, "03": 0.35, "28": 0.3,
}
DEFAULT_URBAN_SHARE = 0.25

# =============================================================================================
# Districts: "District name|HQ town (blank = same)|HQ latitude|HQ longitude", in state order.
# Names are current district names (2024-25); coordinates are approximate headquarters.
# =============================================================================================

DISTRICTS: dict[str, str] = {
    "01": """
Anantnag||33.73|75.15
Bandipora||34.42|74.65
Baramulla||34.20|74.34
Budgam||34.02|74.72
Doda||33.15|75.55
Ganderbal||34.23|74.78
Jammu||32.73|74.86
Kathua||32.37|75.52
Kishtwar||33.31|75.77
Kulgam||33.64|75.02
Kupwara||34.53|74.26
Poonch||33.77|74.09
Pulwama||33.87|74.90
Rajouri||33.38|74.31
Ramban||33.24|75.24
Reasi||33.08|74.83
Samba||32.56|75.12
Shopian||33.72|74.83
Srinagar||34.08|74.80
Udhampur||32.93|75.14
""",
    "02": """
Bilaspur||31.34|76.76
Chamba||32.55|76.13
Hamirpur||31.68|76.52
Kangra|Dharamshala|32.22|76.32
Kinnaur|Reckong Peo|31.54|78.27
Kullu||31.96|77.11
Lahaul and Spiti|Keylong|32.57|77.03
Mandi||31.71|76.93
Shimla||31.10|77.17
Sirmaur|Nahan|30.56|77.30
Solan||30.91|77.10
Una||31.47|76.27
""",
    "03": """
Amritsar||31.63|74.87
Barnala||30.38|75.55
Bathinda||30.21|74.95
Faridkot||30.67|74.76
Fatehgarh Sahib||30.65|76.39
Fazilka||30.40|74.03
Ferozepur||30.93|74.61
Gurdaspur||32.04|75.41
Hoshiarpur||31.53|75.91
Jalandhar||31.33|75.58
Kapurthala||31.38|75.38
Ludhiana||30.90|75.85
Malerkotla||30.53|75.88
Mansa||29.99|75.39
Moga||30.82|75.17
Sri Muktsar Sahib|Muktsar|30.47|74.52
Pathankot||32.27|75.65
Patiala||30.34|76.39
Rupnagar||30.97|76.53
Sahibzada Ajit Singh Nagar|Mohali|30.70|76.72
Sangrur||30.25|75.84
Shaheed Bhagat Singh Nagar|Nawanshahr|31.13|76.12
Tarn Taran||31.45|74.93
""",
    "04": """
Chandigarh||30.73|76.78
""",
    "05": """
Almora||29.60|79.66
Bageshwar||29.84|79.77
Chamoli|Gopeshwar|30.41|79.32
Champawat||29.34|80.09
Dehradun||30.32|78.03
Haridwar||29.95|78.16
Nainital||29.39|79.45
Pauri Garhwal|Pauri|30.15|78.78
Pithoragarh||29.58|80.22
Rudraprayag||30.28|78.98
Tehri Garhwal|New Tehri|30.38|78.43
Udham Singh Nagar|Rudrapur|28.98|79.40
Uttarkashi||30.73|78.44
""",
    "06": """
Ambala||30.38|76.78
Bhiwani||28.79|76.13
Charkhi Dadri||28.59|76.27
Faridabad||28.41|77.32
Fatehabad||29.52|75.45
Gurugram||28.46|77.03
Hisar||29.15|75.72
Jhajjar||28.61|76.66
Jind||29.32|76.32
Kaithal||29.80|76.40
Karnal||29.69|76.99
Kurukshetra||29.97|76.88
Mahendragarh|Narnaul|28.05|76.11
Nuh||28.10|77.00
Palwal||28.14|77.33
Panchkula||30.69|76.86
Panipat||29.39|76.97
Rewari||28.20|76.62
Rohtak||28.89|76.61
Sirsa||29.53|75.02
Sonipat||28.99|77.02
Yamunanagar||30.13|77.27
""",
    "07": """
Central Delhi|Daryaganj|28.65|77.23
East Delhi|Preet Vihar|28.63|77.29
New Delhi|Jamnagar House|28.61|77.21
North Delhi|Alipur|28.71|77.20
North East Delhi|Nand Nagri|28.70|77.28
North West Delhi|Kanjhawala|28.71|77.10
Shahdara||28.67|77.29
South Delhi|Saket|28.52|77.21
South East Delhi|Defence Colony|28.57|77.23
South West Delhi|Kapashera|28.58|77.05
West Delhi|Rajouri Garden|28.65|77.12
""",
    "08": """
Ajmer||26.45|74.64
Alwar||27.55|76.60
Balotra||25.83|72.24
Banswara||23.55|74.44
Baran||25.10|76.51
Barmer||25.75|71.39
Beawar||26.10|74.32
Bharatpur||27.22|77.49
Bhilwara||25.35|74.63
Bikaner||28.02|73.31
Bundi||25.44|75.64
Chittorgarh||24.88|74.62
Churu||28.30|74.95
Dausa||26.89|76.34
Deeg||27.47|77.33
Dholpur||26.70|77.89
Didwana-Kuchaman|Didwana|27.40|74.57
Dungarpur||23.84|73.71
Hanumangarh||29.58|74.33
Jaipur||26.91|75.79
Jaisalmer||26.92|70.91
Jalore||25.35|72.62
Jhalawar||24.60|76.16
Jhunjhunu||28.13|75.40
Jodhpur||26.24|73.02
Karauli||26.50|77.02
Khairthal-Tijara|Khairthal|27.83|76.65
Kota||25.18|75.83
Kotputli-Behror|Kotputli|27.70|76.20
Nagaur||27.20|73.73
Pali||25.77|73.32
Phalodi||27.13|72.36
Pratapgarh||24.03|74.78
Rajsamand||25.07|73.88
Salumbar||24.13|74.05
Sawai Madhopur||26.02|76.35
Sikar||27.61|75.14
Sirohi||24.89|72.86
Sri Ganganagar||29.90|73.88
Tonk||26.17|75.79
Udaipur||24.58|73.71
""",
    "09": """
Agra||27.18|78.01
Aligarh||27.88|78.08
Ambedkar Nagar|Akbarpur|26.43|82.54
Amethi|Gauriganj|26.21|81.69
Amroha||28.90|78.47
Auraiya||26.47|79.51
Ayodhya||26.79|82.20
Azamgarh||26.07|83.18
Baghpat||28.94|77.22
Bahraich||27.57|81.60
Ballia||25.76|84.15
Balrampur||27.43|82.18
Banda||25.48|80.34
Barabanki||26.93|81.19
Bareilly||28.37|79.43
Basti||26.80|82.74
Bhadohi|Gyanpur|25.34|82.57
Bijnor||29.37|78.13
Budaun||28.04|79.12
Bulandshahr||28.40|77.85
Chandauli||25.27|83.27
Chitrakoot|Karwi|25.20|80.90
Deoria||26.50|83.78
Etah||27.56|78.66
Etawah||26.78|79.02
Farrukhabad|Fatehgarh|27.39|79.58
Fatehpur||25.93|80.81
Firozabad||27.15|78.40
Gautam Buddha Nagar|Noida|28.54|77.39
Ghaziabad||28.67|77.44
Ghazipur||25.58|83.58
Gonda||27.13|81.96
Gorakhpur||26.76|83.37
Hamirpur||25.95|80.15
Hapur||28.73|77.78
Hardoi||27.40|80.13
Hathras||27.60|78.05
Jalaun|Orai|25.99|79.45
Jaunpur||25.75|82.69
Jhansi||25.45|78.57
Kannauj||27.06|79.92
Kanpur Dehat|Mati|26.40|79.95
Kanpur Nagar|Kanpur|26.45|80.33
Kasganj||27.81|78.65
Kaushambi|Manjhanpur|25.53|81.38
Kheri|Lakhimpur|27.95|80.78
Kushinagar|Padrauna|26.90|83.98
Lalitpur||24.69|78.41
Lucknow||26.85|80.95
Maharajganj||27.13|83.56
Mahoba||25.29|79.87
Mainpuri||27.23|79.02
Mathura||27.49|77.67
Mau||25.94|83.56
Meerut||28.98|77.71
Mirzapur||25.15|82.57
Moradabad||28.84|78.77
Muzaffarnagar||29.47|77.70
Pilibhit||28.63|79.80
Pratapgarh|Bela Pratapgarh|25.90|81.94
Prayagraj||25.44|81.85
Raebareli||26.23|81.23
Rampur||28.80|79.03
Saharanpur||29.96|77.55
Sambhal||28.58|78.57
Sant Kabir Nagar|Khalilabad|26.77|83.07
Shahjahanpur||27.88|79.91
Shamli||29.45|77.31
Shravasti|Bhinga|27.71|81.93
Siddharthnagar|Naugarh|27.28|83.10
Sitapur||27.57|80.68
Sonbhadra|Robertsganj|24.69|83.07
Sultanpur||26.26|82.07
Unnao||26.55|80.49
Varanasi||25.32|82.99
""",
    "10": """
Araria||26.15|87.47
Arwal||25.25|84.68
Aurangabad||24.75|84.37
Banka||24.88|86.92
Begusarai||25.42|86.13
Bhagalpur||25.25|86.98
Bhojpur|Arrah|25.56|84.66
Buxar||25.56|83.98
Darbhanga||26.15|85.90
East Champaran|Motihari|26.65|84.92
Gaya||24.79|85.00
Gopalganj||26.47|84.44
Jamui||24.92|86.22
Jehanabad||25.21|84.99
Kaimur|Bhabua|25.04|83.61
Katihar||25.54|87.58
Khagaria||25.50|86.48
Kishanganj||26.10|87.95
Lakhisarai||25.17|86.09
Madhepura||25.92|86.79
Madhubani||26.35|86.07
Munger||25.37|86.47
Muzaffarpur||26.12|85.39
Nalanda|Bihar Sharif|25.20|85.52
Nawada||24.89|85.54
Patna||25.59|85.14
Purnia||25.78|87.47
Rohtas|Sasaram|24.95|84.03
Saharsa||25.88|86.60
Samastipur||25.86|85.78
Saran|Chhapra|25.78|84.73
Sheikhpura||25.14|85.85
Sheohar||26.52|85.29
Sitamarhi||26.60|85.48
Siwan||26.22|84.36
Supaul||26.12|86.60
Vaishali|Hajipur|25.69|85.22
West Champaran|Bettiah|26.80|84.50
""",
    "11": """
Gangtok||27.33|88.61
Mangan||27.51|88.53
Namchi||27.17|88.36
Gyalshing||27.29|88.26
Pakyong||27.24|88.59
Soreng||27.17|88.20
""",
    "12": """
Anjaw|Hawai|27.88|96.82
Changlang||27.13|95.73
Dibang Valley|Anini|28.80|95.90
East Kameng|Seppa|27.33|93.05
East Siang|Pasighat|28.07|95.33
Itanagar Capital Complex|Itanagar|27.08|93.61
Kamle|Raga|27.87|93.82
Keyi Panyor|Yachuli|27.52|93.80
Kra Daadi|Jamin|27.60|93.55
Kurung Kumey|Koloriang|27.91|93.35
Lepa Rada|Basar|27.98|94.69
Lohit|Tezu|27.92|96.17
Longding||26.86|95.33
Lower Dibang Valley|Roing|28.14|95.84
Lower Siang|Likabali|27.66|94.69
Lower Subansiri|Ziro|27.55|93.83
Namsai||27.67|95.87
Pakke-Kessang|Lemmi|27.10|92.98
Papum Pare|Yupia|27.14|93.72
Shi Yomi|Tato|28.55|94.38
Siang|Boleng|28.33|94.95
Tawang||27.59|91.87
Tirap|Khonsa|27.01|95.56
Upper Siang|Yingkiong|28.63|95.03
Upper Subansiri|Daporijo|27.98|94.22
West Kameng|Bomdila|27.26|92.42
West Siang|Aalo|28.17|94.80
""",
    "13": """
Chumoukedima||25.79|93.78
Dimapur||25.90|93.73
Kiphire||25.90|94.78
Kohima||25.67|94.11
Longleng||26.49|94.83
Meluri||25.68|94.63
Mokokchung||26.32|94.52
Mon||26.73|95.03
Niuland||25.86|93.93
Noklak||26.20|95.01
Peren||25.51|93.73
Phek||25.67|94.47
Shamator||26.10|94.90
Tseminyu||25.90|94.20
Tuensang||26.27|94.83
Wokha||26.10|94.26
Zunheboto||25.97|94.52
""",
    "14": """
Bishnupur||24.63|93.77
Chandel||24.32|94.02
Churachandpur||24.33|93.68
Imphal East|Porompat|24.82|93.97
Imphal West|Lamphelpat|24.80|93.93
Jiribam||24.80|93.12
Kakching||24.50|93.98
Kamjong||24.85|94.51
Kangpokpi||25.15|93.97
Noney||24.86|93.63
Pherzawl||24.26|93.19
Senapati||25.27|94.02
Tamenglong||24.99|93.50
Tengnoupal||24.39|94.14
Thoubal||24.64|94.00
Ukhrul||25.12|94.36
""",
    "15": """
Aizawl||23.73|92.72
Champhai||23.47|93.33
Hnahthial||22.97|92.93
Khawzawl||23.53|93.18
Kolasib||24.22|92.68
Lawngtlai||22.53|92.90
Lunglei||22.88|92.73
Mamit||23.93|92.48
Saitual||23.68|92.98
Serchhip||23.30|92.85
Siaha||22.49|92.97
""",
    "16": """
Dhalai|Ambassa|23.92|91.85
Gomati|Udaipur|23.53|91.49
Khowai||24.06|91.60
North Tripura|Dharmanagar|24.37|92.17
Sepahijala|Bishramganj|23.62|91.33
South Tripura|Belonia|23.25|91.45
Unakoti|Kailashahar|24.33|92.00
West Tripura|Agartala|23.83|91.28
""",
    "17": """
East Garo Hills|Williamnagar|25.50|90.60
East Jaintia Hills|Khliehriat|25.36|92.37
East Khasi Hills|Shillong|25.57|91.88
Eastern West Khasi Hills|Mairang|25.56|91.64
North Garo Hills|Resubelpara|25.89|90.60
Ri Bhoi|Nongpoh|25.90|91.88
South Garo Hills|Baghmara|25.20|90.64
South West Garo Hills|Ampati|25.46|89.93
South West Khasi Hills|Mawkyrwat|25.37|91.44
West Garo Hills|Tura|25.51|90.22
West Jaintia Hills|Jowai|25.45|92.20
West Khasi Hills|Nongstoin|25.52|91.27
""",
    "18": """
Bajali|Pathsala|26.50|91.18
Baksa|Mushalpur|26.65|91.43
Barpeta||26.32|91.00
Biswanath|Biswanath Chariali|26.73|93.15
Bongaigaon||26.47|90.56
Cachar|Silchar|24.83|92.78
Charaideo|Sonari|27.02|95.02
Chirang|Kajalgaon|26.53|90.52
Darrang|Mangaldoi|26.44|92.03
Dhemaji||27.48|94.58
Dhubri||26.02|89.98
Dibrugarh||27.48|94.91
Dima Hasao|Haflong|25.17|93.02
Goalpara||26.17|90.62
Golaghat||26.52|93.97
Hailakandi||24.68|92.56
Hojai||26.00|92.86
Jorhat||26.75|94.22
Kamrup|Amingaon|26.19|91.68
Kamrup Metropolitan|Guwahati|26.14|91.74
Karbi Anglong|Diphu|25.84|93.43
Kokrajhar||26.40|90.27
Lakhimpur|North Lakhimpur|27.24|94.11
Majuli|Garamur|26.95|94.17
Morigaon||26.25|92.34
Nagaon||26.35|92.68
Nalbari||26.44|91.43
Sivasagar||26.98|94.64
Sonitpur|Tezpur|26.63|92.80
South Salmara-Mankachar|Hatsingimari|25.75|89.95
Sribhumi|Karimganj|24.87|92.36
Tamulpur||26.64|91.57
Tinsukia||27.49|95.36
Udalguri||26.75|92.10
West Karbi Anglong|Hamren|25.97|92.57
""",
    "19": """
Alipurduar||26.48|89.52
Bankura||23.23|87.07
Birbhum|Suri|23.91|87.53
Cooch Behar||26.32|89.45
Dakshin Dinajpur|Balurghat|25.22|88.77
Darjeeling||27.04|88.26
Hooghly|Chinsurah|22.90|88.39
Howrah||22.59|88.31
Jalpaiguri||26.52|88.72
Jhargram||22.45|86.99
Kalimpong||27.06|88.47
Kolkata||22.57|88.36
Malda|English Bazar|25.00|88.14
Murshidabad|Baharampur|24.10|88.25
Nadia|Krishnanagar|23.40|88.50
North 24 Parganas|Barasat|22.72|88.48
Paschim Bardhaman|Asansol|23.68|86.98
Paschim Medinipur|Midnapore|22.42|87.32
Purba Bardhaman|Bardhaman|23.24|87.86
Purba Medinipur|Tamluk|22.30|87.92
Purulia||23.33|86.36
South 24 Parganas|Alipore|22.53|88.33
Uttar Dinajpur|Raiganj|25.62|88.12
""",
    "20": """
Bokaro||23.67|86.15
Chatra||24.21|84.87
Deoghar||24.48|86.70
Dhanbad||23.80|86.43
Dumka||24.27|87.25
East Singhbhum|Jamshedpur|22.80|86.18
Garhwa||24.16|83.81
Giridih||24.19|86.30
Godda||24.83|87.21
Gumla||23.04|84.54
Hazaribagh||23.99|85.36
Jamtara||23.96|86.80
Khunti||23.07|85.28
Koderma||24.47|85.60
Latehar||23.74|84.50
Lohardaga||23.43|84.68
Pakur||24.63|87.85
Palamu|Medininagar|24.03|84.07
Ramgarh||23.63|85.52
Ranchi||23.34|85.31
Sahebganj||25.24|87.64
Seraikela Kharsawan|Seraikela|22.70|85.93
Simdega||22.62|84.52
West Singhbhum|Chaibasa|22.55|85.81
""",
    "21": """
Angul||20.84|85.10
Balangir||20.71|83.48
Balasore||21.49|86.93
Bargarh||21.33|83.62
Bhadrak||21.06|86.50
Boudh||20.84|84.32
Cuttack||20.46|85.88
Deogarh||21.54|84.73
Dhenkanal||20.66|85.60
Gajapati|Paralakhemundi|18.78|84.09
Ganjam|Chhatrapur|19.36|84.98
Jagatsinghpur||20.26|86.17
Jajpur||20.85|86.33
Jharsuguda||21.86|84.01
Kalahandi|Bhawanipatna|19.91|83.17
Kandhamal|Phulbani|20.47|84.23
Kendrapara||20.50|86.42
Kendujhar||21.63|85.58
Khordha||20.18|85.62
Koraput||18.81|82.71
Malkangiri||18.35|81.89
Mayurbhanj|Baripada|21.94|86.73
Nabarangpur||19.23|82.55
Nayagarh||20.13|85.10
Nuapada||20.82|82.54
Puri||19.81|85.83
Rayagada||19.17|83.42
Sambalpur||21.47|83.97
Subarnapur|Sonepur|20.83|83.92
Sundargarh||22.12|84.03
""",
    "22": """
Balod||20.73|81.20
Baloda Bazar||21.66|82.16
Balrampur||23.61|83.61
Bastar|Jagdalpur|19.08|82.02
Bemetara||21.71|81.53
Bijapur||18.79|80.82
Bilaspur||22.08|82.15
Dantewada||18.90|81.35
Dhamtari||20.71|81.55
Durg||21.19|81.28
Gariaband||20.63|82.06
Gaurela-Pendra-Marwahi|Gaurela|22.75|81.90
Janjgir-Champa|Janjgir|22.01|82.58
Jashpur|Jashpur Nagar|22.89|84.14
Kabirdham|Kawardha|22.01|81.23
Kanker||20.27|81.49
Khairagarh-Chhuikhadan-Gandai|Khairagarh|21.42|80.98
Kondagaon||19.59|81.66
Korba||22.35|82.68
Korea|Baikunthpur|23.26|82.56
Mahasamund||21.11|82.10
Manendragarh-Chirmiri-Bharatpur|Manendragarh|23.21|82.21
Mohla-Manpur-Ambagarh Chowki|Mohla|20.58|80.73
Mungeli||22.07|81.68
Narayanpur||19.72|81.25
Raigarh||21.90|83.40
Raipur||21.25|81.63
Rajnandgaon||21.10|81.03
Sakti||22.03|82.96
Sarangarh-Bilaigarh|Sarangarh|21.59|83.08
Sukma||18.39|81.66
Surajpur||23.22|82.87
Surguja|Ambikapur|23.12|83.20
""",
    "23": """
Agar Malwa|Agar|23.71|76.02
Alirajpur||22.31|74.36
Anuppur||23.10|81.69
Ashoknagar||24.58|77.73
Balaghat||21.81|80.18
Barwani||22.03|74.90
Betul||21.90|77.90
Bhind||26.56|78.78
Bhopal||23.26|77.41
Burhanpur||21.31|76.23
Chhatarpur||24.92|79.58
Chhindwara||22.06|78.94
Damoh||23.83|79.44
Datia||25.67|78.46
Dewas||22.97|76.05
Dhar||22.60|75.30
Dindori||22.94|81.08
Guna||24.65|77.31
Gwalior||26.22|78.18
Harda||22.34|77.09
Indore||22.72|75.86
Jabalpur||23.18|79.99
Jhabua||22.77|74.59
Katni||23.83|80.39
Khandwa||21.83|76.35
Khargone||21.82|75.61
Maihar||24.27|80.76
Mandla||22.60|80.37
Mandsaur||24.07|75.07
Mauganj||24.67|81.88
Morena||26.50|78.00
Narmadapuram||22.75|77.72
Narsinghpur||22.95|79.19
Neemuch||24.47|74.87
Niwari||25.36|78.80
Pandhurna||21.60|78.52
Panna||24.72|80.19
Raisen||23.33|77.78
Rajgarh||24.01|76.72
Ratlam||23.33|75.04
Rewa||24.53|81.30
Sagar||23.84|78.74
Satna||24.58|80.83
Sehore||23.20|77.08
Seoni||22.09|79.55
Shahdol||23.30|81.36
Shajapur||23.43|76.27
Sheopur||25.67|76.70
Shivpuri||25.43|77.66
Sidhi||24.40|81.88
Singrauli|Waidhan|24.20|82.67
Tikamgarh||24.74|78.83
Ujjain||23.18|75.78
Umaria||23.52|80.84
Vidisha||23.52|77.81
""",
    "24": """
Ahmedabad||23.03|72.58
Amreli||21.60|71.22
Anand||22.56|72.95
Aravalli|Modasa|23.46|73.30
Banaskantha|Palanpur|24.17|72.43
Bharuch||21.71|72.98
Bhavnagar||21.76|72.15
Botad||22.17|71.67
Chhota Udepur||22.31|74.01
Dahod||22.83|74.25
Dang|Ahwa|20.76|73.69
Devbhumi Dwarka|Khambhalia|22.20|69.65
Gandhinagar||23.22|72.65
Gir Somnath|Veraval|20.91|70.37
Jamnagar||22.47|70.06
Junagadh||21.52|70.46
Kheda|Nadiad|22.69|72.86
Kutch|Bhuj|23.25|69.67
Mahisagar|Lunawada|23.13|73.61
Mehsana||23.60|72.37
Morbi||22.82|70.84
Narmada|Rajpipla|21.87|73.50
Navsari||20.95|72.92
Panchmahal|Godhra|22.78|73.61
Patan||23.85|72.12
Porbandar||21.64|69.61
Rajkot||22.30|70.80
Sabarkantha|Himmatnagar|23.60|72.97
Surat||21.17|72.83
Surendranagar||22.73|71.64
Tapi|Vyara|21.11|73.39
Vadodara||22.31|73.18
Valsad||20.61|72.93
Vav-Tharad|Tharad|24.39|71.63
""",
    "27": """
Ahilyanagar||19.09|74.74
Akola||20.71|77.00
Amravati||20.93|77.78
Beed||18.99|75.76
Bhandara||21.17|79.65
Buldhana||20.53|76.18
Chandrapur||19.96|79.30
Chhatrapati Sambhajinagar||19.88|75.34
Dharashiv||18.18|76.04
Dhule||20.90|74.77
Gadchiroli||20.18|80.00
Gondia||21.46|80.19
Hingoli||19.72|77.15
Jalgaon||21.00|75.56
Jalna||19.84|75.88
Kolhapur||16.70|74.24
Latur||18.40|76.56
Mumbai City|Mumbai|18.94|72.83
Mumbai Suburban|Bandra|19.06|72.84
Nagpur||21.15|79.09
Nanded||19.15|77.32
Nandurbar||21.37|74.24
Nashik||20.00|73.79
Palghar||19.70|72.77
Parbhani||19.27|76.77
Pune||18.52|73.86
Raigad|Alibag|18.64|72.87
Ratnagiri||16.99|73.30
Sangli||16.85|74.58
Satara||17.69|74.00
Sindhudurg|Oros|16.12|73.70
Solapur||17.66|75.91
Thane||19.22|72.98
Wardha||20.74|78.60
Washim||20.11|77.13
Yavatmal||20.39|78.12
""",
    "28": """
Alluri Sitharama Raju|Paderu|18.08|82.67
Anakapalli||17.69|83.00
Anantapur||14.68|77.60
Annamayya|Rayachoti|14.06|78.75
Bapatla||15.90|80.47
Chittoor||13.22|79.10
Dr. B. R. Ambedkar Konaseema|Amalapuram|16.58|82.01
East Godavari|Rajamahendravaram|17.00|81.80
Eluru||16.71|81.10
Guntur||16.31|80.44
Kakinada||16.99|82.25
Krishna|Machilipatnam|16.19|81.14
Kurnool||15.83|78.04
Nandyal||15.48|78.48
NTR|Vijayawada|16.51|80.65
Palnadu|Narasaraopet|16.24|80.05
Parvathipuram Manyam|Parvathipuram|18.78|83.43
Prakasam|Ongole|15.50|80.05
Sri Potti Sriramulu Nellore|Nellore|14.44|79.99
Sri Sathya Sai|Puttaparthi|14.17|77.81
Srikakulam||18.30|83.90
Tirupati||13.63|79.42
Visakhapatnam||17.69|83.22
Vizianagaram||18.11|83.40
West Godavari|Bhimavaram|16.54|81.52
YSR Kadapa|Kadapa|14.47|78.82
""",
    "29": """
Bagalkot||16.18|75.70
Ballari||15.14|76.92
Belagavi||15.85|74.50
Bengaluru Rural|Doddaballapur|13.29|77.54
Bengaluru Urban|Bengaluru|12.97|77.59
Bidar||17.91|77.52
Chamarajanagar||11.92|76.94
Chikkaballapur||13.43|77.73
Chikkamagaluru||13.32|75.77
Chitradurga||14.23|76.40
Dakshina Kannada|Mangaluru|12.87|74.84
Davanagere||14.46|75.92
Dharwad||15.46|75.01
Gadag||15.43|75.63
Hassan||13.01|76.10
Haveri||14.79|75.40
Kalaburagi||17.33|76.83
Kodagu|Madikeri|12.42|75.74
Kolar||13.14|78.13
Koppal||15.35|76.15
Mandya||12.52|76.90
Mysuru||12.30|76.64
Raichur||16.21|77.36
Ramanagara||12.72|77.28
Shivamogga||13.93|75.57
Tumakuru||13.34|77.10
Udupi||13.34|74.75
Uttara Kannada|Karwar|14.81|74.13
Vijayanagara|Hosapete|15.27|76.39
Vijayapura||16.83|75.71
Yadgir||16.77|77.14
""",
    "30": """
North Goa|Panaji|15.49|73.83
South Goa|Margao|15.27|73.96
""",
    "31": """
Lakshadweep|Kavaratti|10.57|72.64
""",
    "32": """
Alappuzha||9.50|76.34
Ernakulam|Kakkanad|10.01|76.34
Idukki|Painavu|9.85|76.97
Kannur||11.87|75.37
Kasaragod||12.50|75.00
Kollam||8.89|76.61
Kottayam||9.59|76.52
Kozhikode||11.26|75.78
Malappuram||11.07|76.07
Palakkad||10.78|76.65
Pathanamthitta||9.26|76.79
Thiruvananthapuram||8.52|76.94
Thrissur||10.53|76.21
Wayanad|Kalpetta|11.61|76.08
""",
    "33": """
Ariyalur||11.14|79.08
Chengalpattu||12.69|79.98
Chennai||13.08|80.27
Coimbatore||11.02|76.96
Cuddalore||11.75|79.75
Dharmapuri||12.13|78.16
Dindigul||10.36|77.98
Erode||11.34|77.72
Kallakurichi||11.74|78.96
Kancheepuram||12.83|79.70
Kanniyakumari|Nagercoil|8.18|77.41
Karur||10.96|78.08
Krishnagiri||12.52|78.21
Madurai||9.93|78.12
Mayiladuthurai||11.10|79.65
Nagapattinam||10.77|79.84
Namakkal||11.22|78.17
Nilgiris|Udhagamandalam|11.41|76.70
Perambalur||11.23|78.88
Pudukkottai||10.38|78.82
Ramanathapuram||9.37|78.83
Ranipet||12.93|79.33
Salem||11.66|78.15
Sivaganga||9.85|78.48
Tenkasi||8.96|77.30
Thanjavur||10.79|79.14
Theni||10.01|77.48
Thoothukudi||8.76|78.13
Tiruchirappalli||10.80|78.69
Tirunelveli||8.71|77.76
Tirupathur||12.50|78.57
Tiruppur||11.11|77.34
Tiruvallur||13.14|79.91
Tiruvannamalai||12.23|79.07
Tiruvarur||10.77|79.64
Vellore||12.92|79.13
Viluppuram||11.94|79.49
Virudhunagar||9.58|77.96
""",
    "34": """
Puducherry||11.93|79.83
Karaikal||10.92|79.84
Mahe||11.70|75.54
Yanam||16.73|82.22
""",
    "35": """
South Andaman|Sri Vijaya Puram|11.62|92.73
North and Middle Andaman|Mayabunder|12.92|92.90
Nicobar|Car Nicobar|9.16|92.82
""",
    "36": """
Adilabad||19.67|78.53
Bhadradri Kothagudem|Kothagudem|17.55|80.62
Hanumakonda||18.01|79.56
Hyderabad||17.39|78.49
Jagtial||18.79|78.91
Jangaon||17.72|79.15
Jayashankar Bhupalpally|Bhupalpally|18.43|79.86
Jogulamba Gadwal|Gadwal|16.23|77.80
Kamareddy||18.32|78.34
Karimnagar||18.44|79.13
Khammam||17.25|80.15
Komaram Bheem Asifabad|Asifabad|19.36|79.28
Mahabubabad||17.60|80.00
Mahabubnagar||16.74|78.00
Mancherial||18.87|79.46
Medak||18.05|78.26
Medchal-Malkajgiri|Medchal|17.63|78.48
Mulugu||18.19|79.94
Nagarkurnool||16.48|78.31
Nalgonda||17.05|79.27
Narayanpet||16.74|77.50
Nirmal||19.10|78.34
Nizamabad||18.67|78.10
Peddapalli||18.61|79.37
Rajanna Sircilla|Sircilla|18.39|78.81
Ranga Reddy|Kongara Kalan|17.25|78.45
Sangareddy||17.62|78.08
Siddipet||18.10|78.85
Suryapet||17.14|79.62
Vikarabad||17.34|77.90
Wanaparthy||16.36|78.06
Warangal||17.97|79.60
Yadadri Bhuvanagiri|Bhongir|17.51|78.89
""",
    "37": """
Leh||34.16|77.58
Kargil||34.56|76.13
""",
    "38": """
Dadra and Nagar Haveli|Silvassa|20.27|73.01
Daman||20.41|72.83
Diu||20.71|70.98
""",
}

#: Districts around the big cities: more (and more urban) police stations.
BIG_CITY_DISTRICTS: frozenset[str] = frozenset(
    {
        "Lucknow", "Kanpur Nagar", "Agra", "Varanasi", "Prayagraj", "Ghaziabad", "Gautam Buddha Nagar",
        "Meerut", "Patna", "Jaipur", "Jodhpur", "Kota", "Ahmedabad", "Surat", "Vadodara", "Rajkot",
        "Mumbai City", "Mumbai Suburban", "Pune", "Thane", "Nagpur", "Bengaluru Urban", "Chennai",
        "Coimbatore", "Madurai", "Hyderabad", "Ranga Reddy", "Medchal-Malkajgiri", "Kolkata",
        "North 24 Parganas", "South 24 Parganas", "Howrah", "Indore", "Bhopal", "Jabalpur", "Gwalior",
        "Ludhiana", "Amritsar", "Ernakulam", "Thiruvananthapuram", "Kozhikode", "Visakhapatnam", "NTR",
        "Guntur", "Ranchi", "Dhanbad", "East Singhbhum", "Raipur", "Durg", "Khordha", "Cuttack",
        "Kamrup Metropolitan", "Dehradun", "Gurugram", "Faridabad", "Srinagar", "Jammu", "Chandigarh",
        "Puducherry",
    }
)
#: Districts whose police stations are all urban.
ALL_URBAN_DISTRICTS: frozenset[str] = frozenset(
    {"Mumbai City", "Mumbai Suburban", "Chennai", "Kolkata", "Hyderabad", "Bengaluru Urban"}
)

# =============================================================================================
# Police-station names: regional naming conventions (synthetic but plausible)
# =============================================================================================

STATE_FAMILY: dict[str, str] = {
    **dict.fromkeys(("01", "02", "04", "05", "06", "07", "08", "09", "10", "20", "22", "23", "37"), "HINDI"),
    "03": "PUNJABI",
    **dict.fromkeys(("16", "18", "19", "21"), "EAST"),
    **dict.fromkeys(("11", "12", "13", "14", "15", "17", "35"), "NE"),
    **dict.fromkeys(("24", "27", "30", "38"), "WEST"),
    **dict.fromkeys(("33", "34"), "TAMIL"),
    **dict.fromkeys(("31", "32"), "KERALA"),
    **dict.fromkeys(("28", "36"), "TELUGU"),
    "29": "KANNADA",
}

#: Main (headquarters) station, women's station: templates per naming family.
MAIN_PS: dict[str, str] = {
    "HINDI": "Kotwali {hq}", "PUNJABI": "City {hq}", "EAST": "{hq} Town", "NE": "{hq} Sadar",
    "WEST": "{hq} City", "TAMIL": "{hq} Town", "KERALA": "{hq} Town", "TELUGU": "{hq} I Town",
    "KANNADA": "{hq} Town",
}
MAHILA_PS: dict[str, str] = {
    "HINDI": "Mahila Thana {district}", "PUNJABI": "Women PS {district}", "EAST": "Women PS {district}",
    "NE": "Women PS {district}", "WEST": "Mahila PS {district}", "TAMIL": "All Women PS {hq}",
    "KERALA": "Vanitha PS {hq}", "TELUGU": "Women PS {hq}", "KANNADA": "Women PS {hq}",
}
URBAN_LOCALITIES: dict[str, tuple[str, ...]] = {
    "HINDI": (
        "Civil Lines", "Sadar Bazar", "Cantonment", "Kotwali Dehat", "Gandhi Nagar", "Nehru Nagar",
        "Subhash Nagar", "Shastri Nagar", "Rajendra Nagar", "Indira Nagar", "Azad Nagar", "Patel Nagar",
        "Ram Nagar", "Station Road", "Chowk", "Model Town", "Industrial Area", "Tilak Nagar",
        "Ashok Nagar", "Kamla Nagar", "Naya Ganj", "Purani Mandi", "Transport Nagar", "Avas Vikas",
        "Kidwai Nagar", "Lajpat Nagar", "Vijay Nagar", "Krishna Nagar", "Shivaji Nagar", "Mahaveer Nagar",
        "Saket", "Sector 12", "Sector 20", "Sector 39", "Bus Stand", "Kacheri", "Nai Basti", "Jawahar Nagar",
    ),
    "PUNJABI": (
        "Civil Lines", "Sadar", "Cantonment", "Model Town", "Division No. 2", "Division No. 3",
        "Division No. 5", "Industrial Area", "Basti Jodhewal", "Focal Point", "Sarabha Nagar",
        "Ranjit Avenue", "Rambagh", "Kotwali", "City-2", "Guru Nanak Nagar", "Railway Colony",
        "Urban Estate", "Sector 70", "Bus Stand",
    ),
    "EAST": (
        "Sadar", "Town", "Kotwali", "Station Bazar", "Lalbagh", "Ballygunge", "Shyam Nagar", "Rajbari",
        "College Para", "Hospital Road", "Bidhan Nagar", "Netaji Nagar", "Chandni Chowk", "Bara Bazar",
        "Lake Town", "Salt Lake", "Kasba", "Bhowanipore", "Nayapally", "Laxmisagar", "Saheed Nagar",
        "Kharavela Nagar", "Dispur", "Paltan Bazar", "Pan Bazar", "Latasil", "Chandmari", "Basistha",
    ),
    "NE": (
        "East", "West", "North", "South", "Town", "Bazar", "Police Bazar", "Laitumkhrah", "Sadar Bazar",
        "New Market", "Secretariat", "Airport", "Bridge", "Hill", "Lumdiengjri", "Rynjah",
    ),
    "WEST": (
        "Naupada", "Shivaji Nagar", "Kotwali", "MIDC", "Station Road", "Deccan", "Camp", "Bund Garden",
        "Sitabuldi", "Sadar", "Navrangpura", "Maninagar", "Vastrapur", "Satellite", "Naroda", "Odhav",
        "Athwa Lines", "Adajan", "Umra", "A Division", "B Division", "C Division", "Bhakti Nagar",
        "Gandhigram", "Panaji", "Porvorim", "Mapusa", "Colva", "Kandivali", "Malad", "Andheri", "Bandra",
        "Dadar", "Worli", "Colaba", "Ghatkopar", "Vikhroli", "Mulund", "Borivali", "Chembur",
    ),
    "TAMIL": (
        "B1 North", "B2 South", "Anna Nagar", "Gandhi Nagar", "Kamarajar Salai", "Periyar Nagar",
        "Town North", "Town South", "Bazaar", "Railway Colony", "Tallakulam", "Thilagar Thidal",
        "Race Course", "RS Puram", "Saibaba Colony", "Peelamedu", "Singanallur", "Mylapore",
        "Adyar", "T Nagar", "Egmore", "Teynampet", "Velachery", "Guindy", "Tambaram", "Royapuram",
    ),
    "KERALA": (
        "Town", "North", "South", "East", "West", "Cantonment", "Museum", "Fort", "Medical College",
        "Central", "Marine Drive", "Palarivattom", "Kadavanthra", "Nadakkavu", "Chevayur", "Kasaba",
        "Pettah", "Vanchiyoor", "Thampanoor", "Kazhakoottam",
    ),
    "TELUGU": (
        "II Town", "III Town", "IV Town", "Rural", "Gandhi Nagar", "Suryaraopet", "Governorpet",
        "Patamata", "Kothapet", "Arundelpet", "Maharanipeta", "Gajuwaka", "Banjara Hills",
        "Jubilee Hills", "Punjagutta", "Abids", "Chikkadpally", "Begumpet", "Madhapur", "Kukatpally",
        "LB Nagar", "Saroornagar", "Mirchowk", "Charminar", "Malakpet", "Uppal",
    ),
    "KANNADA": (
        "Rural", "Extension", "Market", "Gandhi Nagar", "Rajajinagar", "Jayanagar", "Basavanagudi",
        "Malleswaram", "Indiranagar", "Koramangala", "Whitefield", "Yelahanka", "Vijayanagar",
        "Kuvempu Nagar", "Devaraja", "Lashkar", "Mandi", "Vidyaranyapuram", "Upparpet", "Shivajinagar",
    ),
}
URBAN_DIRECTIONS = ("North", "South", "East", "West", "Extension", "Colony")
#: Syllables for village/town names (prefix + suffix) by naming family.
RURAL_PREFIXES: dict[str, tuple[str, ...]] = {
    "HINDI": (
        "Ram", "Shiv", "Sultan", "Fateh", "Bishan", "Har", "Lal", "Kishan", "Madho", "Gopal", "Chand",
        "Sher", "Dev", "Bhawani", "Raghu", "Narayan", "Sita", "Ganga", "Jamal", "Mohan", "Sundar",
        "Bhim", "Anand", "Rahim", "Amar", "Jai", "Bahadur", "Kali", "Durga", "Hari", "Moti", "Nawab",
        "Rani", "Dhan", "Kesar", "Malik", "Bilas", "Nand", "Tulsi", "Mehndi", "Salem", "Bharat",
    ),
    "PUNJABI": (
        "Fateh", "Gur", "Kartar", "Bhai", "Sohan", "Dhar", "Raja", "Jagat", "Mehal", "Nihal", "Sardul",
        "Bhagat", "Ajit", "Dharam", "Sadiq", "Khem", "Talwandi", "Baba", "Kahan", "Mukand",
    ),
    "EAST": (
        "Rani", "Krishna", "Gopi", "Shanti", "Haripal", "Debi", "Chandra", "Nabadwip", "Kali", "Ram",
        "Jagannath", "Baisa", "Bhabani", "Kashi", "Lakshmi", "Sona", "Tara", "Mohan", "Bishnu",
        "Nanda", "Bali", "Madhab", "Gobinda", "Durga", "Raghu", "Amar", "Sundar", "Jiban",
    ),
    "NE": (
        "Lung", "Mao", "Kha", "Pong", "Tuli", "Noa", "Saw", "Mawl", "Rong", "Tlang", "Zo", "Chi", "Lai",
        "Khon", "Sang", "Nong", "Jow", "Dim", "Rin", "Tam",
    ),
    "WEST": (
        "Shiv", "Ram", "Deo", "Kora", "Man", "Sav", "Jun", "Vadg", "Pim", "Ambe", "Kal", "Chinch",
        "Dhar", "Bhav", "Rajpur", "Vira", "Kandi", "Mah", "Son", "Talod", "Modas", "Dhol", "Bar",
        "Ana", "Jal", "Pal", "Sin", "Ghod",
    ),
    "TAMIL": (
        "Tiru", "Kovil", "Ponn", "Chinna", "Periya", "Vada", "Then", "Pudu", "Mel", "Kil", "Arun",
        "Kalla", "Sendur", "Vel", "Muthu", "Rama", "Kumara", "Sankara", "Ananda", "Mana", "Siva",
        "Aval", "Paal", "Kanni",
    ),
    "KERALA": (
        "Chala", "Kanna", "Kotta", "Pala", "Thiru", "Mala", "Kunnam", "Vadakke", "Thekke", "Perum",
        "Chera", "Aranmu", "Kadam", "Pattam", "Edava", "Puthu", "Nedum", "Vella", "Kara", "Manja",
    ),
    "TELUGU": (
        "Rama", "Krishna", "Venkata", "Narsa", "Kotha", "Peda", "China", "Gopala", "Siri", "Ananta",
        "Bhima", "Jagga", "Kondapa", "Nalla", "Yella", "Tadi", "Ravula", "Kolla", "Dharma", "Gandi",
    ),
    "KANNADA": (
        "Hosa", "Hale", "Doddi", "Chikka", "Kere", "Kodi", "Ane", "Bela", "Hunas", "Malle", "Gowri",
        "Shiva", "Basava", "Channa", "Nanja", "Kalla", "Hebba", "Tumba", "Gunda", "Mudi",
    ),
}
RURAL_SUFFIXES: dict[str, tuple[str, ...]] = {
    "HINDI": ("pur", "ganj", "garh", "nagar", "abad", "pura", "gaon", "khera", "kot", "sar", "bagh",
              "pur Kalan", "pur Khurd", "ganj Bazar", "dih", "wara"),
    "PUNJABI": ("pur", "kot", "wala", "garh", "pind", "sar", "abad", " Kalan", " Khurd", "wal"),
    "EAST": ("pur", "nagar", "ganj", "hat", "bari", "danga", "garh", "para", "gram", "khali", "pada",
             "patna", "sahi"),
    "NE": ("bung", "thang", "mukh", "ling", "khong", "jan", "pui", "sih", "lam", "phai", "bari"),
    "WEST": ("wadi", "gaon", "pur", "ner", "khed", "wada", "ali", "sar", "nagar", "vav", "oda",
             "ad", "ej"),
    "TAMIL": ("palayam", "patti", "puram", "kottai", "ur", "nallur", "kulam", "pettai", "malai",
              "kuppam", "mangalam"),
    "KERALA": ("kara", "puram", "kulam", "ssery", "kode", "nad", "mala", "kavu", "thuruthy", "para"),
    "TELUGU": ("palli", "peta", "gudem", "puram", "pet", "padu", "valasa", "konda", "cheruvu"),
    "KANNADA": ("halli", "pura", "kere", "hal", "uru", "pete", "gere", "koppa", "betta"),
}

#: Lakshadweep: the island police stations, with coordinates (used instead of synthetic names).
LAKSHADWEEP_STATIONS: tuple[tuple[str, float, float], ...] = (
    ("Kavaratti", 10.566, 72.642), ("Agatti", 10.858, 72.190), ("Amini", 11.123, 72.731),
    ("Andrott", 10.817, 73.680), ("Kalpeni", 10.075, 73.643), ("Minicoy", 8.283, 73.049),
    ("Kiltan", 11.484, 73.001), ("Kadmat", 11.224, 72.778), ("Chetlat", 11.693, 72.711),
    ("Bitra", 11.598, 72.183), ("Bangaram", 10.944, 72.287),
)

# =============================================================================================
# Acts, crime heads, sections
# =============================================================================================

IPC_VALID_TO = "2024-06-30"
BNS_VALID_FROM = "2024-07-01"

#: act, act_name, law_type, valid_from, valid_to, note
ACTS: tuple[tuple[str, str, str, str, str, str], ...] = (
    ("IPC", "Indian Penal Code, 1860", "GENERAL", "1862-01-01", IPC_VALID_TO,
     "Applies to offences committed up to 30 Jun 2024 (date of offence, not of FIR)."),
    ("BNS", "Bharatiya Nyaya Sanhita, 2023", "GENERAL", BNS_VALID_FROM, "",
     "Replaced the IPC for offences committed on or after 1 Jul 2024."),
    ("POCSO", "Protection of Children from Sexual Offences Act, 2012", "SLL", "2012-11-14", "", ""),
    ("NDPS", "Narcotic Drugs and Psychotropic Substances Act, 1985", "SLL", "1985-11-14", "", ""),
    ("ARMS", "Arms Act, 1959", "SLL", "1962-10-01", "", ""),
    ("IT", "Information Technology Act, 2000", "SLL", "2000-10-17", "", ""),
    ("SCST_POA", "Scheduled Castes and the Scheduled Tribes (Prevention of Atrocities) Act, 1989", "SLL",
     "1990-01-30", "", ""),
    ("DP", "Dowry Prohibition Act, 1961", "SLL", "1961-07-01", "", ""),
    ("EXCISE", "State Excise and Prohibition Acts", "SLL", "1950-01-26", "",
     "Symbolic date: State Acts of various dates; section numbers follow a generic model Act."),
    ("GAMBLING", "Public Gambling Act, 1867 and State gaming Acts", "SLL", "1867-01-25", "",
     "Section numbers of the 1867 Act; States have their own gaming Acts."),
    ("MV", "Motor Vehicles Act, 1988", "SLL", "1989-07-01", "", ""),
    ("OTHER_SLL", "Other special and local laws", "SLL", "1950-01-26", "",
     "Symbolic date: any other central or State special/local law (e.g. UAPA, MCOCA, Gangsters Act)."),
)


@dataclass(frozen=True)
class CrimeHead:
    code: str
    name: str
    category: str
    law_type: str  # IPC_BNS | SLL
    women: str
    children: str
    ipc_era_head: str  # nearest head for offences committed before 1 Jul 2024
    note: str = ""


# In display order (NCRB "Crime in India" layout: body, women, public tranquillity, State,
# property, economic, other IPC, then special and local laws).
CRIME_HEADS: tuple[CrimeHead, ...] = (
    CrimeHead("MURDER", "Murder", "VIOLENT", "IPC_BNS", "N", "N", "MURDER"),
    CrimeHead("CULPABLE_HOMICIDE", "Culpable homicide not amounting to murder", "VIOLENT", "IPC_BNS", "N", "N",
              "CULPABLE_HOMICIDE"),
    CrimeHead("DOWRY_DEATH", "Dowry death", "AGAINST_WOMEN", "IPC_BNS", "Y", "N", "DOWRY_DEATH"),
    CrimeHead("ATTEMPT_MURDER", "Attempt to commit murder", "VIOLENT", "IPC_BNS", "N", "N", "ATTEMPT_MURDER"),
    CrimeHead("ABETMENT_SUICIDE", "Abetment of suicide", "VIOLENT", "IPC_BNS", "N", "N", "ABETMENT_SUICIDE",
              "NCRB counts abetment of suicide of women under crimes against women: decide by victim."),
    CrimeHead("DEATH_NEGLIGENCE", "Causing death by negligence", "VIOLENT", "IPC_BNS", "N", "N",
              "DEATH_NEGLIGENCE"),
    CrimeHead("RASH_DRIVING", "Rash driving and hurt by rash or negligent act", "VIOLENT", "IPC_BNS", "N", "N",
              "RASH_DRIVING"),
    CrimeHead("GRIEVOUS_HURT", "Grievous hurt (including acid attack)", "VIOLENT", "IPC_BNS", "N", "N",
              "GRIEVOUS_HURT"),
    CrimeHead("HURT", "Hurt", "VIOLENT", "IPC_BNS", "N", "N", "HURT"),
    CrimeHead("WRONGFUL_RESTRAINT", "Wrongful restraint and confinement", "VIOLENT", "IPC_BNS", "N", "N",
              "WRONGFUL_RESTRAINT"),
    CrimeHead("ASSAULT_PUBLIC_SERVANT", "Assault on or obstruction of public servants", "PUBLIC_ORDER",
              "IPC_BNS", "N", "N", "ASSAULT_PUBLIC_SERVANT"),
    CrimeHead("RAPE", "Rape", "AGAINST_WOMEN", "IPC_BNS", "Y", "N", "RAPE"),
    CrimeHead("GANG_RAPE", "Gang rape", "AGAINST_WOMEN", "IPC_BNS", "Y", "N", "GANG_RAPE"),
    CrimeHead("DECEITFUL_SEXUAL_INTERCOURSE", "Sexual intercourse by deceitful means (BNS 69)", "AGAINST_WOMEN",
              "IPC_BNS", "Y", "N", "RAPE",
              "New in BNS. Before 1 Jul 2024 such cases were registered as rape on false promise "
              "of marriage (IPC 376) or cheating."),
    CrimeHead("ASSAULT_OUTRAGE_MODESTY", "Assault on women with intent to outrage her modesty", "AGAINST_WOMEN",
              "IPC_BNS", "Y", "N", "ASSAULT_OUTRAGE_MODESTY"),
    CrimeHead("SEXUAL_HARASSMENT", "Sexual harassment (including voyeurism)", "AGAINST_WOMEN", "IPC_BNS", "Y",
              "N", "SEXUAL_HARASSMENT"),
    CrimeHead("STALKING", "Stalking", "AGAINST_WOMEN", "IPC_BNS", "Y", "N", "STALKING"),
    CrimeHead("INSULT_MODESTY", "Insult to the modesty of women", "AGAINST_WOMEN", "IPC_BNS", "Y", "N",
              "INSULT_MODESTY"),
    CrimeHead("CRUELTY_HUSBAND", "Cruelty by husband or his relatives", "AGAINST_WOMEN", "IPC_BNS", "Y", "N",
              "CRUELTY_HUSBAND"),
    CrimeHead("KIDNAPPING_ABDUCTION", "Kidnapping and abduction", "VIOLENT", "IPC_BNS", "N", "Y",
              "KIDNAPPING_ABDUCTION",
              "Kidnapping from lawful guardianship is of minors by definition (children flag); "
              "abduction of adults also falls here: decide by victim age."),
    CrimeHead("KIDNAP_WOMEN_MARRIAGE", "Kidnapping and abduction of women to compel her for marriage",
              "AGAINST_WOMEN", "IPC_BNS", "Y", "N", "KIDNAP_WOMEN_MARRIAGE"),
    CrimeHead("HUMAN_TRAFFICKING", "Human trafficking and procuration of minors", "AGAINST_WOMEN", "IPC_BNS",
              "Y", "Y", "HUMAN_TRAFFICKING",
              "NCRB counts trafficking under crimes against women or children by victim: both flags set."),
    CrimeHead("RIOTING", "Rioting", "PUBLIC_ORDER", "IPC_BNS", "N", "N", "RIOTING"),
    CrimeHead("UNLAWFUL_ASSEMBLY", "Unlawful assembly", "PUBLIC_ORDER", "IPC_BNS", "N", "N", "UNLAWFUL_ASSEMBLY"),
    CrimeHead("PROMOTING_ENMITY", "Promoting enmity between different groups", "PUBLIC_ORDER", "IPC_BNS", "N",
              "N", "PROMOTING_ENMITY"),
    CrimeHead("MOB_LYNCHING", "Murder by a group on grounds of race, caste, community etc. (mob lynching)",
              "VIOLENT", "IPC_BNS", "N", "N", "MURDER",
              "New in BNS 103(2). Before 1 Jul 2024 registered as murder (IPC 302 read with 149)."),
    CrimeHead("ORGANISED_CRIME", "Organised crime", "PUBLIC_ORDER", "IPC_BNS", "N", "N", "OTHER_SLL",
              "New in BNS 111/112. Before 1 Jul 2024 booked under State special laws (MCOCA, "
              "Gangsters Act etc.), i.e. other SLL."),
    CrimeHead("TERRORIST_ACT", "Terrorist act", "STATE", "IPC_BNS", "N", "N", "OTHER_SLL",
              "New in BNS 113. Before 1 Jul 2024 booked under the UAPA, i.e. other SLL."),
    CrimeHead("ENDANGERING_SOVEREIGNTY", "Offences against the State (waging war, sedition, endangering "
              "sovereignty)", "STATE", "IPC_BNS", "N", "N", "ENDANGERING_SOVEREIGNTY",
              "IPC 124A (sedition) was kept in abeyance by the Supreme Court from 11 May 2022; "
              "BNS 152 is its replacement, not an equivalent."),
    CrimeHead("CRIMINAL_CONSPIRACY", "Criminal conspiracy", "OTHER", "IPC_BNS", "N", "N", "CRIMINAL_CONSPIRACY"),
    CrimeHead("DISOBEDIENCE_ORDER", "Disobedience to order duly promulgated by public servant", "PUBLIC_ORDER",
              "IPC_BNS", "N", "N", "DISOBEDIENCE_ORDER"),
    CrimeHead("THEFT", "Theft (including vehicle theft)", "PROPERTY", "IPC_BNS", "N", "N", "THEFT"),
    CrimeHead("HOUSE_BREAKING", "House-breaking and burglary", "PROPERTY", "IPC_BNS", "N", "N", "HOUSE_BREAKING"),
    CrimeHead("ROBBERY", "Robbery", "PROPERTY", "IPC_BNS", "N", "N", "ROBBERY"),
    CrimeHead("DACOITY", "Dacoity", "PROPERTY", "IPC_BNS", "N", "N", "DACOITY"),
    CrimeHead("SNATCHING", "Snatching", "PROPERTY", "IPC_BNS", "N", "N", "SNATCHING",
              "Offence new in BNS 304; before 1 Jul 2024 snatching was registered under IPC 356 "
              "(with 379), which is kept here as the nearest IPC section."),
    CrimeHead("EXTORTION", "Extortion", "PROPERTY", "IPC_BNS", "N", "N", "EXTORTION"),
    CrimeHead("CRIMINAL_BREACH_OF_TRUST", "Criminal breach of trust", "ECONOMIC", "IPC_BNS", "N", "N",
              "CRIMINAL_BREACH_OF_TRUST"),
    CrimeHead("CHEATING", "Cheating", "ECONOMIC", "IPC_BNS", "N", "N", "CHEATING"),
    CrimeHead("FORGERY", "Forgery and counterfeiting", "ECONOMIC", "IPC_BNS", "N", "N", "FORGERY"),
    CrimeHead("RECEIVING_STOLEN_PROPERTY", "Receiving stolen property", "PROPERTY", "IPC_BNS", "N", "N",
              "RECEIVING_STOLEN_PROPERTY"),
    CrimeHead("IMPERSONATION", "Cheating by personation and impersonation", "ECONOMIC", "IPC_BNS", "N", "N",
              "IMPERSONATION"),
    CrimeHead("CRIMINAL_INTIMIDATION", "Criminal intimidation and insult to provoke breach of peace", "OTHER",
              "IPC_BNS", "N", "N", "CRIMINAL_INTIMIDATION"),
    CrimeHead("MISCHIEF_ARSON", "Mischief and arson", "PROPERTY", "IPC_BNS", "N", "N", "MISCHIEF_ARSON"),
    CrimeHead("OTHER_IPC_BNS", "Other IPC/BNS crimes", "OTHER", "IPC_BNS", "N", "N", "OTHER_IPC_BNS"),
    CrimeHead("POCSO", "Child sexual offences (POCSO Act)", "AGAINST_CHILDREN", "SLL", "N", "Y", "POCSO",
              "NCRB also counts POCSO cases with girl victims under crimes against women; decide by victim."),
    CrimeHead("CYBER_IT_ACT", "Cyber crimes (Information Technology Act)", "CYBER", "SLL", "N", "N",
              "CYBER_IT_ACT"),
    CrimeHead("NDPS", "Narcotic drugs and psychotropic substances", "SLL", "SLL", "N", "N", "NDPS"),
    CrimeHead("ARMS_ACT", "Arms Act", "SLL", "SLL", "N", "N", "ARMS_ACT"),
    CrimeHead("SCST_ATROCITIES", "Atrocities against Scheduled Castes and Scheduled Tribes", "AGAINST_SC_ST",
              "SLL", "N", "N", "SCST_ATROCITIES"),
    CrimeHead("DOWRY_PROHIBITION", "Dowry Prohibition Act", "AGAINST_WOMEN", "SLL", "Y", "N", "DOWRY_PROHIBITION"),
    CrimeHead("EXCISE_PROHIBITION", "Excise and prohibition", "SLL", "SLL", "N", "N", "EXCISE_PROHIBITION"),
    CrimeHead("GAMBLING", "Gambling", "SLL", "SLL", "N", "N", "GAMBLING"),
    CrimeHead("MV_ACT", "Motor Vehicles Act (cognizable offences)", "SLL", "SLL", "N", "N", "MV_ACT"),
    CrimeHead("OTHER_SLL", "Other special and local laws", "SLL", "SLL", "N", "N", "OTHER_SLL"),
)

#: Tie-break of the principal-offence rule among sections with the same maximum punishment,
#: most serious first (severity_rank = months of max punishment * 100 + tie-break value 99..).
#: Murder comes first (rape-and-murder counts as murder); POCSO before rape (NCRB counts
#: "POCSO read with IPC 376" under POCSO); cheating before forgery (420 with 468).
SEVERITY_TIEBREAK_ORDER: tuple[str, ...] = (
    "MURDER", "MOB_LYNCHING", "TERRORIST_ACT", "DOWRY_DEATH", "POCSO", "GANG_RAPE", "RAPE", "DACOITY",
    "ORGANISED_CRIME", "KIDNAPPING_ABDUCTION", "ENDANGERING_SOVEREIGNTY", "ATTEMPT_MURDER",
    "CULPABLE_HOMICIDE", "HUMAN_TRAFFICKING", "ROBBERY", "GRIEVOUS_HURT", "MISCHIEF_ARSON",
    "HOUSE_BREAKING", "SCST_ATROCITIES", "NDPS", "ARMS_ACT", "ABETMENT_SUICIDE",
    "DECEITFUL_SEXUAL_INTERCOURSE", "KIDNAP_WOMEN_MARRIAGE", "CRIMINAL_BREACH_OF_TRUST", "CHEATING",
    "FORGERY", "EXTORTION", "SNATCHING", "ASSAULT_OUTRAGE_MODESTY", "CRUELTY_HUSBAND", "DEATH_NEGLIGENCE",
    "RIOTING", "ASSAULT_PUBLIC_SERVANT", "SEXUAL_HARASSMENT", "STALKING", "INSULT_MODESTY",
    "DOWRY_PROHIBITION", "CYBER_IT_ACT", "THEFT", "RECEIVING_STOLEN_PROPERTY", "IMPERSONATION",
    "PROMOTING_ENMITY", "RASH_DRIVING", "HURT", "CRIMINAL_INTIMIDATION", "WRONGFUL_RESTRAINT",
    "UNLAWFUL_ASSEMBLY", "CRIMINAL_CONSPIRACY", "DISOBEDIENCE_ORDER", "EXCISE_PROHIBITION", "GAMBLING",
    "MV_ACT", "OTHER_SLL", "OTHER_IPC_BNS",
)

DEATH_YEARS = 99.0
LIFE_YEARS = 80.0

#: The reviewed punishment table (one row per section of SECTIONS): maximum punishment class,
#: maximum term in years, add-on flag, whether the value was checked against the statute, and
#: the statute it was read from. Data, not code, so that a reviewer can correct it (issue 13).
PUNISHMENT_CSV = REPO_ROOT / "sample_data" / "refdata" / "section_punishment.csv"

#: Maximum-punishment classes, most serious first. ``as_principal``: the section has no
#: punishment of its own (a liability rule or a definition such as IPC 34, 149, 107, 141; BNS
#: 3(5), 190, 45, 189); it is punished as the offence it is read with.
PUNISHMENT_CLASSES: tuple[str, ...] = ("death", "life", "years", "fine_only", "as_principal")


@dataclass(frozen=True)
class Section:
    act: str
    section: str
    title: str
    head: str
    gen_weight: float
    valid_from: str = ""  # blank = the act's
    valid_to: str = ""  # blank = the act's
    note: str = ""


@dataclass(frozen=True)
class Punishment:
    """One row of :data:`PUNISHMENT_CSV`."""

    max_punishment: str
    max_years: float | None
    addon: str
    verified: str
    source: str
    note: str

    @property
    def rank_years(self) -> float:
        """Years for the severity order: death 99, life 80, a term its years, otherwise 0."""
        if self.max_punishment == "death":
            return DEATH_YEARS
        if self.max_punishment == "life":
            return LIFE_YEARS
        return self.max_years or 0.0


def _s(act: str, section: str, title: str, head: str, weight: float,
       valid_from: str = "", valid_to: str = "", note: str = "") -> Section:
    """Build a section; its punishment comes from :data:`PUNISHMENT_CSV`."""
    return Section(act, section, title, head, weight, valid_from, valid_to, note)


def load_punishments(path: Path = PUNISHMENT_CSV) -> dict[tuple[str, str], Punishment]:
    """(act, section) -> Punishment, checked: known class, years iff class ``years``, Y/N flags."""
    out: dict[tuple[str, str], Punishment] = {}
    with path.open(encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            key = (r["act"], r["section"])
            where = f"{path.name}: {r['act']} {r['section']}"
            _check(key not in out, f"{where}: duplicate")
            _check(r["max_punishment"] in PUNISHMENT_CLASSES, f"{where}: max_punishment {r['max_punishment']!r}")
            years = float(r["max_years"]) if r["max_years"] else None
            _check(
                (years is not None) == (r["max_punishment"] == "years")
                and (years is None or 0 < years < LIFE_YEARS),
                f"{where}: max_years must be given (0 < years < 80) exactly when max_punishment is 'years'",
            )
            _check(r["is_addon"] in ("Y", "N") and r["punishment_verified"] in ("Y", "N"), f"{where}: flags")
            _check(
                (r["is_addon"] == "Y") == (r["max_punishment"] == "as_principal"),
                f"{where}: an add-on is exactly a section punished as the offence it is read with",
            )
            _check(bool(r["punishment_source"].strip()), f"{where}: punishment_source")
            out[key] = Punishment(
                r["max_punishment"], years, r["is_addon"], r["punishment_verified"],
                r["punishment_source"], r["punishment_note"],
            )
    return out


AMEND_2013 = "2013-02-03"  # Criminal Law (Amendment) Act, 2013 (in force from the Ordinance)
AMEND_2018 = "2018-04-21"  # Criminal Law (Amendment) Act, 2018 (in force from the Ordinance)
BARE_RULE = "Bare section read as its basic offence (the sub-section the IPC counterpart maps to)."

SECTIONS: tuple[Section, ...] = (
    # ---------------------------------------------------------------- IPC (to 30 Jun 2024)
    _s("IPC", "302", "Punishment for murder", "MURDER", 1.0),
    _s("IPC", "304", "Culpable homicide not amounting to murder", "CULPABLE_HOMICIDE", 1.0),
    _s("IPC", "304B", "Dowry death", "DOWRY_DEATH", 1.0),
    _s("IPC", "307", "Attempt to murder", "ATTEMPT_MURDER", 1.0),
    _s("IPC", "306", "Abetment of suicide", "ABETMENT_SUICIDE", 1.0),
    _s("IPC", "304A", "Causing death by negligence", "DEATH_NEGLIGENCE", 1.0),
    _s("IPC", "279", "Rash driving or riding on a public way", "RASH_DRIVING", 0.45),
    _s("IPC", "337", "Causing hurt by act endangering life or personal safety of others", "RASH_DRIVING",
       0.35),
    _s("IPC", "338", "Causing grievous hurt by act endangering life or personal safety of others",
       "RASH_DRIVING", 0.20),
    _s("IPC", "325", "Punishment for voluntarily causing grievous hurt", "GRIEVOUS_HURT", 0.60),
    _s("IPC", "326", "Voluntarily causing grievous hurt by dangerous weapons or means", "GRIEVOUS_HURT",
       0.38),
    _s("IPC", "326A", "Voluntarily causing grievous hurt by use of acid", "GRIEVOUS_HURT", 0.02,
       valid_from=AMEND_2013),
    _s("IPC", "323", "Punishment for voluntarily causing hurt", "HURT", 0.70),
    _s("IPC", "324", "Voluntarily causing hurt by dangerous weapons or means", "HURT", 0.30),
    _s("IPC", "341", "Punishment for wrongful restraint", "WRONGFUL_RESTRAINT", 0.60),
    _s("IPC", "342", "Punishment for wrongful confinement", "WRONGFUL_RESTRAINT", 0.40),
    _s("IPC", "332", "Voluntarily causing hurt to deter public servant from his duty",
       "ASSAULT_PUBLIC_SERVANT", 0.40),
    _s("IPC", "353", "Assault or criminal force to deter public servant from discharge of his duty",
       "ASSAULT_PUBLIC_SERVANT", 0.50),
    _s("IPC", "186", "Obstructing public servant in discharge of public functions", "ASSAULT_PUBLIC_SERVANT",
       0.10),
    _s("IPC", "376", "Punishment for rape", "RAPE", 0.70),
    _s("IPC", "376(2)", "Rape by police officer, public servant, relative and other aggravated forms", "RAPE",
       0.10),
    _s("IPC", "376(3)", "Rape on a woman under sixteen years of age", "RAPE", 0.08,
       valid_from=AMEND_2018),
    _s("IPC", "376A", "Rape causing death or resulting in persistent vegetative state", "RAPE", 0.01, valid_from=AMEND_2013, note="Numbered 376A-376D with other content before 2013."),
    _s("IPC", "376AB", "Rape on a woman under twelve years of age", "RAPE", 0.03,
       valid_from=AMEND_2018),
    _s("IPC", "376B", "Sexual intercourse by husband upon his wife during separation", "RAPE", 0.005, valid_from=AMEND_2013),
    _s("IPC", "376C", "Sexual intercourse by a person in authority", "RAPE", 0.02,
       valid_from=AMEND_2013),
    _s("IPC", "376D", "Gang rape", "GANG_RAPE", 0.85, valid_from=AMEND_2013),
    _s("IPC", "376DA", "Gang rape on a woman under sixteen years of age", "GANG_RAPE", 0.10,
       valid_from=AMEND_2018),
    _s("IPC", "376DB", "Gang rape on a woman under twelve years of age", "GANG_RAPE", 0.05,
       valid_from=AMEND_2018),
    _s("IPC", "376E", "Punishment for repeat offenders", "RAPE", 0.005, valid_from=AMEND_2013),
    _s("IPC", "354", "Assault or criminal force to woman with intent to outrage her modesty",
       "ASSAULT_OUTRAGE_MODESTY", 0.85),
    _s("IPC", "354B", "Assault or use of criminal force to woman with intent to disrobe",
       "ASSAULT_OUTRAGE_MODESTY", 0.15, valid_from=AMEND_2013),
    _s("IPC", "354A", "Sexual harassment", "SEXUAL_HARASSMENT", 0.85, valid_from=AMEND_2013),
    _s("IPC", "354C", "Voyeurism", "SEXUAL_HARASSMENT", 0.15, valid_from=AMEND_2013,
       note="First conviction; 7 years on a subsequent conviction."),
    _s("IPC", "354D", "Stalking", "STALKING", 1.0, valid_from=AMEND_2013,
       note="First conviction; 5 years on a subsequent conviction."),
    _s("IPC", "509", "Word, gesture or act intended to insult the modesty of a woman", "INSULT_MODESTY",
       1.0),
    _s("IPC", "498A", "Husband or relative of husband of a woman subjecting her to cruelty",
       "CRUELTY_HUSBAND", 1.0),
    _s("IPC", "363", "Punishment for kidnapping", "KIDNAPPING_ABDUCTION", 0.80),
    _s("IPC", "364", "Kidnapping or abducting in order to murder", "KIDNAPPING_ABDUCTION", 0.04),
    _s("IPC", "364A", "Kidnapping for ransom, etc.", "KIDNAPPING_ABDUCTION", 0.03),
    _s("IPC", "365", "Kidnapping or abducting with intent secretly and wrongfully to confine person",
       "KIDNAPPING_ABDUCTION", 0.13),
    _s("IPC", "366", "Kidnapping, abducting or inducing woman to compel her marriage, etc.",
       "KIDNAP_WOMEN_MARRIAGE", 1.0),
    _s("IPC", "366A", "Procuration of minor girl", "HUMAN_TRAFFICKING", 0.10),
    _s("IPC", "370", "Trafficking of person", "HUMAN_TRAFFICKING", 0.85, valid_from=AMEND_2013),
    _s("IPC", "370A", "Exploitation of a trafficked person", "HUMAN_TRAFFICKING", 0.05,
       valid_from=AMEND_2013),
    _s("IPC", "147", "Punishment for rioting", "RIOTING", 0.55),
    _s("IPC", "148", "Rioting, armed with deadly weapon", "RIOTING", 0.45),
    _s("IPC", "141", "Unlawful assembly", "UNLAWFUL_ASSEMBLY", 0.0),
    _s("IPC", "143", "Punishment for being member of unlawful assembly", "UNLAWFUL_ASSEMBLY", 0.80),
    _s("IPC", "144", "Joining unlawful assembly armed with deadly weapon", "UNLAWFUL_ASSEMBLY", 0.20),
    _s("IPC", "149", "Every member of unlawful assembly guilty of offence committed in prosecution of common "
       "object", "UNLAWFUL_ASSEMBLY", 0.0),
    _s("IPC", "153A", "Promoting enmity between different groups", "PROMOTING_ENMITY", 1.0),
    _s("IPC", "121", "Waging, or attempting to wage war, or abetting waging of war, against the Government "
       "of India", "ENDANGERING_SOVEREIGNTY", 0.10),
    _s("IPC", "124A", "Sedition", "ENDANGERING_SOVEREIGNTY", 0.90, valid_to="2022-05-10",
       note="Kept in abeyance by the Supreme Court (S.G. Vombatkere v. Union of India, 11 May 2022)."),
    _s("IPC", "120B", "Punishment of criminal conspiracy", "CRIMINAL_CONSPIRACY",
       1.0,
       note="Years taken as the stand-alone 6 months so the conspired offence stays principal."),
    _s("IPC", "188", "Disobedience to order duly promulgated by public servant", "DISOBEDIENCE_ORDER",
       1.0),
    _s("IPC", "379", "Punishment for theft", "THEFT", 0.80),
    _s("IPC", "380", "Theft in dwelling house, etc.", "THEFT", 0.15),
    _s("IPC", "381", "Theft by clerk or servant of property in possession of master", "THEFT", 0.05),
    _s("IPC", "454", "Lurking house-trespass or house-breaking in order to commit offence", "HOUSE_BREAKING",
       0.45, note="10 years when the offence intended is theft."),
    _s("IPC", "457", "Lurking house-trespass or house-breaking by night in order to commit offence",
       "HOUSE_BREAKING", 0.55, note="14 years when the offence intended is theft."),
    _s("IPC", "392", "Punishment for robbery", "ROBBERY", 0.80,
       note="14 years on a highway between sunset and sunrise, else 10."),
    _s("IPC", "394", "Voluntarily causing hurt in committing robbery", "ROBBERY", 0.20),
    _s("IPC", "395", "Punishment for dacoity", "DACOITY", 0.80),
    _s("IPC", "396", "Dacoity with murder", "DACOITY", 0.03),
    _s("IPC", "399", "Making preparation to commit dacoity", "DACOITY", 0.12),
    _s("IPC", "402", "Assembling for purpose of committing dacoity", "DACOITY", 0.05),
    _s("IPC", "356", "Assault or criminal force in attempt to commit theft of property carried by a person",
       "SNATCHING", 1.0,
       note="Nearest IPC counterpart of snatching (BNS 304); exact BNS equivalent is 134."),
    _s("IPC", "384", "Punishment for extortion", "EXTORTION", 0.80),
    _s("IPC", "386", "Extortion by putting a person in fear of death or grievous hurt", "EXTORTION",
       0.20),
    _s("IPC", "406", "Punishment for criminal breach of trust", "CRIMINAL_BREACH_OF_TRUST", 0.85),
    _s("IPC", "409", "Criminal breach of trust by public servant, or by banker, merchant or agent",
       "CRIMINAL_BREACH_OF_TRUST", 0.15),
    _s("IPC", "420", "Cheating and dishonestly inducing delivery of property", "CHEATING", 0.90),
    _s("IPC", "417", "Punishment for cheating", "CHEATING", 0.10),
    _s("IPC", "465", "Punishment for forgery", "FORGERY", 0.20),
    _s("IPC", "467", "Forgery of valuable security, will, etc.", "FORGERY", 0.30),
    _s("IPC", "468", "Forgery for purpose of cheating", "FORGERY", 0.35),
    _s("IPC", "471", "Using as genuine a forged document or electronic record", "FORGERY",
       0.05),
    _s("IPC", "489A", "Counterfeiting currency-notes or bank-notes", "FORGERY", 0.10),
    _s("IPC", "411", "Dishonestly receiving stolen property", "RECEIVING_STOLEN_PROPERTY", 1.0),
    _s("IPC", "419", "Punishment for cheating by personation", "IMPERSONATION", 0.85),
    _s("IPC", "170", "Personating a public servant", "IMPERSONATION", 0.15),
    _s("IPC", "506", "Punishment for criminal intimidation", "CRIMINAL_INTIMIDATION", 0.80,
       note="7 years if the threat is to cause death or grievous hurt (506 Part II); first part used."),
    _s("IPC", "504", "Intentional insult with intent to provoke breach of the peace", "CRIMINAL_INTIMIDATION",
       0.20),
    _s("IPC", "427", "Mischief causing damage to the amount of fifty rupees", "MISCHIEF_ARSON", 0.70),
    _s("IPC", "435", "Mischief by fire or explosive substance with intent to cause damage", "MISCHIEF_ARSON",
       0.15),
    _s("IPC", "436", "Mischief by fire or explosive substance with intent to destroy house, etc.",
       "MISCHIEF_ARSON", 0.15),
    _s("IPC", "34", "Acts done by several persons in furtherance of common intention", "OTHER_IPC_BNS",
       0.0),
    _s("IPC", "107", "Abetment of a thing", "OTHER_IPC_BNS", 0.0),
    _s("IPC", "109", "Punishment of abetment if the act abetted is committed in consequence",
       "OTHER_IPC_BNS", 0.0),
    _s("IPC", "201", "Causing disappearance of evidence of offence, or giving false information to screen "
       "offender", "OTHER_IPC_BNS", 0.0,
       note="7 years when the offence screened is capital; less otherwise."),
    _s("IPC", "228A", "Disclosure of identity of the victim of certain offences", "OTHER_IPC_BNS", 0.005),
    _s("IPC", "447", "Punishment for criminal trespass", "OTHER_IPC_BNS", 0.20),
    _s("IPC", "448", "Punishment for house-trespass", "OTHER_IPC_BNS", 0.20),
    _s("IPC", "294", "Obscene acts and songs", "OTHER_IPC_BNS", 0.20),
    _s("IPC", "290", "Punishment for public nuisance in cases not otherwise provided for", "OTHER_IPC_BNS",
       0.20),
    _s("IPC", "336", "Act endangering life or personal safety of others", "OTHER_IPC_BNS", 0.10),
    _s("IPC", "174A", "Non-appearance in response to a proclamation", "OTHER_IPC_BNS", 0.10),
    _s("IPC", "377", "Unnatural offences", "OTHER_IPC_BNS", 0.0,
       note="No BNS counterpart; consensual acts between adults decriminalised (Navtej Johar, 2018)."),
    _s("IPC", "497", "Adultery", "OTHER_IPC_BNS", 0.0, valid_to="2018-09-26",
       note="Struck down (Joseph Shine v. Union of India, 27 Sep 2018); no BNS counterpart."),
    _s("IPC", "309", "Attempt to commit suicide", "OTHER_IPC_BNS", 0.0,
       note="Effectively decriminalised by the Mental Healthcare Act 2017 s.115; no BNS counterpart."),
    # ---------------------------------------------------------------- BNS (from 1 Jul 2024)
    _s("BNS", "103(1)", "Punishment for murder", "MURDER", 1.0),
    _s("BNS", "103(2)", "Murder by a group of five or more on grounds of race, caste, community, sex, place "
       "of birth, language, personal belief (mob lynching)", "MOB_LYNCHING", 1.0),
    _s("BNS", "105", "Punishment for culpable homicide not amounting to murder", "CULPABLE_HOMICIDE", 1.0),
    _s("BNS", "80", "Dowry death", "DOWRY_DEATH", 0.70, note=BARE_RULE),
    _s("BNS", "80(2)", "Punishment for dowry death", "DOWRY_DEATH", 0.30),
    _s("BNS", "109", "Attempt to murder", "ATTEMPT_MURDER", 0.60, note=BARE_RULE),
    _s("BNS", "109(1)", "Attempt to murder", "ATTEMPT_MURDER", 0.40),
    _s("BNS", "108", "Abetment of suicide", "ABETMENT_SUICIDE", 1.0),
    _s("BNS", "106(1)", "Causing death by negligence", "DEATH_NEGLIGENCE", 1.0,
       note="106(2) (hit-and-run, 10 years) has been kept in abeyance and is not listed."),
    _s("BNS", "281", "Rash driving or riding on a public way", "RASH_DRIVING", 0.45),
    _s("BNS", "125(a)", "Act endangering life or personal safety of others, where hurt is caused",
       "RASH_DRIVING", 0.35),
    _s("BNS", "125(b)", "Act endangering life or personal safety of others, where grievous hurt is caused",
       "RASH_DRIVING", 0.20),
    _s("BNS", "117", "Voluntarily causing grievous hurt", "GRIEVOUS_HURT", 0.30,
       note=BARE_RULE),
    _s("BNS", "117(2)", "Punishment for voluntarily causing grievous hurt", "GRIEVOUS_HURT", 0.30),
    _s("BNS", "118(2)", "Voluntarily causing grievous hurt by dangerous weapons or means", "GRIEVOUS_HURT",
       0.38),
    _s("BNS", "124(1)", "Voluntarily causing grievous hurt by use of acid", "GRIEVOUS_HURT", 0.02),
    _s("BNS", "115(2)", "Punishment for voluntarily causing hurt", "HURT", 0.70),
    _s("BNS", "118(1)", "Voluntarily causing hurt by dangerous weapons or means", "HURT", 0.30),
    _s("BNS", "126(2)", "Punishment for wrongful restraint", "WRONGFUL_RESTRAINT", 0.60),
    _s("BNS", "127(2)", "Punishment for wrongful confinement", "WRONGFUL_RESTRAINT", 0.40),
    _s("BNS", "121(1)", "Voluntarily causing hurt to deter public servant from his duty",
       "ASSAULT_PUBLIC_SERVANT", 0.40),
    _s("BNS", "132", "Assault or criminal force to deter public servant from discharge of his duty",
       "ASSAULT_PUBLIC_SERVANT", 0.50),
    _s("BNS", "221", "Obstructing public servant in discharge of public functions", "ASSAULT_PUBLIC_SERVANT",
       0.10),
    _s("BNS", "64", "Punishment for rape", "RAPE", 0.45, note=BARE_RULE),
    _s("BNS", "64(1)", "Punishment for rape", "RAPE", 0.30),
    _s("BNS", "64(2)", "Rape by police officer, public servant, relative and other aggravated forms", "RAPE",
       0.10),
    _s("BNS", "65", "Punishment for rape in certain cases (women under sixteen or twelve years)", "RAPE",
       0.02, note=BARE_RULE),
    _s("BNS", "65(1)", "Rape on a woman under sixteen years of age", "RAPE", 0.08),
    _s("BNS", "65(2)", "Rape on a woman under twelve years of age", "RAPE", 0.03),
    _s("BNS", "66", "Rape causing death or resulting in persistent vegetative state", "RAPE", 0.01),
    _s("BNS", "67", "Sexual intercourse by husband upon his wife during separation", "RAPE", 0.005),
    _s("BNS", "68", "Sexual intercourse by a person in authority", "RAPE", 0.02),
    _s("BNS", "71", "Punishment for repeat offenders", "RAPE", 0.005),
    _s("BNS", "70", "Gang rape", "GANG_RAPE", 0.30, note=BARE_RULE),
    _s("BNS", "70(1)", "Gang rape", "GANG_RAPE", 0.55),
    _s("BNS", "70(2)", "Gang rape on a woman under eighteen years of age", "GANG_RAPE", 0.15),
    _s("BNS", "69", "Sexual intercourse by employing deceitful means, etc.", "DECEITFUL_SEXUAL_INTERCOURSE",
       1.0, note="New in BNS: no IPC source."),
    _s("BNS", "74", "Assault or criminal force to woman with intent to outrage her modesty",
       "ASSAULT_OUTRAGE_MODESTY", 0.85),
    _s("BNS", "76", "Assault or use of criminal force to woman with intent to disrobe",
       "ASSAULT_OUTRAGE_MODESTY", 0.15),
    _s("BNS", "75", "Sexual harassment", "SEXUAL_HARASSMENT", 0.50, note=BARE_RULE),
    _s("BNS", "75(2)", "Punishment for sexual harassment", "SEXUAL_HARASSMENT", 0.35),
    _s("BNS", "77", "Voyeurism", "SEXUAL_HARASSMENT", 0.15,
       note="First conviction; 7 years on a subsequent conviction."),
    _s("BNS", "78", "Stalking", "STALKING", 0.70,
       note="First conviction; 5 years on a subsequent conviction. " + BARE_RULE),
    _s("BNS", "78(2)", "Punishment for stalking", "STALKING", 0.30),
    _s("BNS", "79", "Word, gesture or act intended to insult the modesty of a woman", "INSULT_MODESTY",
       1.0),
    _s("BNS", "85", "Husband or relative of husband of a woman subjecting her to cruelty", "CRUELTY_HUSBAND",
       1.0),
    _s("BNS", "137(2)", "Punishment for kidnapping", "KIDNAPPING_ABDUCTION", 0.80),
    _s("BNS", "140", "Kidnapping or abducting in order to murder or for ransom, etc.", "KIDNAPPING_ABDUCTION",
       0.02, note=BARE_RULE),
    _s("BNS", "140(1)", "Kidnapping or abducting in order to murder", "KIDNAPPING_ABDUCTION", 0.02),
    _s("BNS", "140(2)", "Kidnapping for ransom, etc.", "KIDNAPPING_ABDUCTION", 0.03),
    _s("BNS", "140(3)", "Kidnapping or abducting with intent secretly and wrongfully to confine person",
       "KIDNAPPING_ABDUCTION", 0.13),
    _s("BNS", "87", "Kidnapping, abducting or inducing woman to compel her marriage, etc.",
       "KIDNAP_WOMEN_MARRIAGE", 1.0),
    _s("BNS", "96", "Procuration of child", "HUMAN_TRAFFICKING", 0.10),
    _s("BNS", "143", "Trafficking of person", "HUMAN_TRAFFICKING", 0.85),
    _s("BNS", "144", "Exploitation of a trafficked person", "HUMAN_TRAFFICKING", 0.05,
       note="Punishment approximate (differs for child victims)."),
    _s("BNS", "191(2)", "Punishment for rioting", "RIOTING", 0.55),
    _s("BNS", "191(3)", "Rioting, armed with deadly weapon", "RIOTING", 0.45),
    _s("BNS", "189", "Unlawful assembly", "UNLAWFUL_ASSEMBLY", 0.0),
    _s("BNS", "189(2)", "Being member of unlawful assembly", "UNLAWFUL_ASSEMBLY", 0.80),
    _s("BNS", "189(4)", "Joining unlawful assembly armed with deadly weapon", "UNLAWFUL_ASSEMBLY", 0.20),
    _s("BNS", "190", "Every member of unlawful assembly guilty of offence committed in prosecution of common "
       "object", "UNLAWFUL_ASSEMBLY", 0.0),
    _s("BNS", "196", "Promoting enmity between different groups", "PROMOTING_ENMITY", 1.0),
    _s("BNS", "111", "Organised crime", "ORGANISED_CRIME", 0.60,
       note="Death or life if death is caused; otherwise 5 years to life. New in BNS."),
    _s("BNS", "112", "Petty organised crime", "ORGANISED_CRIME", 0.40, note="New in BNS."),
    _s("BNS", "113", "Terrorist act", "TERRORIST_ACT", 1.0, note="New in BNS."),
    _s("BNS", "147", "Waging, or attempting to wage war, or abetting waging of war, against the Government "
       "of India", "ENDANGERING_SOVEREIGNTY", 0.10),
    _s("BNS", "152", "Act endangering sovereignty, unity and integrity of India", "ENDANGERING_SOVEREIGNTY",
       0.90, note="Replacement, not an equivalent, of IPC 124A."),
    _s("BNS", "61(2)", "Punishment of criminal conspiracy", "CRIMINAL_CONSPIRACY",
       1.0,
       note="Years taken as the stand-alone 6 months so the conspired offence stays principal."),
    _s("BNS", "223", "Disobedience to order duly promulgated by public servant", "DISOBEDIENCE_ORDER",
       1.0, note="223(a) 6 months; 223(b) 1 year where danger to life, health or safety."),
    _s("BNS", "303(2)", "Punishment for theft", "THEFT", 0.75),
    _s("BNS", "305", "Theft in a dwelling house, means of transportation or place of worship, etc.", "THEFT",
       0.08),
    _s("BNS", "305(a)", "Theft in any building, tent or vessel used as human dwelling or for custody of "
       "property", "THEFT", 0.08),
    _s("BNS", "305(b)", "Theft of any means of transport used for the transport of goods or passengers",
       "THEFT", 0.05),
    _s("BNS", "306", "Theft by clerk or servant of property in possession of master", "THEFT", 0.04),
    _s("BNS", "331(3)", "House-trespass or house-breaking in order to commit offence", "HOUSE_BREAKING",
       0.45, note="10 years when the offence intended is theft."),
    _s("BNS", "331(4)", "House-trespass or house-breaking after sunset and before sunrise in order to commit "
       "offence", "HOUSE_BREAKING", 0.55, note="14 years when the offence intended is theft."),
    _s("BNS", "309(4)", "Punishment for robbery", "ROBBERY", 0.80),
    _s("BNS", "309(6)", "Voluntarily causing hurt in committing robbery", "ROBBERY", 0.20),
    _s("BNS", "310(2)", "Punishment for dacoity", "DACOITY", 0.80),
    _s("BNS", "310(3)", "Dacoity with murder", "DACOITY", 0.03),
    _s("BNS", "310(4)", "Making preparation to commit dacoity", "DACOITY", 0.12),
    _s("BNS", "310(5)", "Assembling for purpose of committing dacoity", "DACOITY", 0.05),
    _s("BNS", "304", "Snatching", "SNATCHING", 0.40, note="New in BNS. " + BARE_RULE),
    _s("BNS", "304(2)", "Punishment for snatching", "SNATCHING", 0.55),
    _s("BNS", "134", "Assault or criminal force in attempt to commit theft of property carried by a person",
       "SNATCHING", 0.05),
    _s("BNS", "308(2)", "Punishment for extortion", "EXTORTION", 0.80),
    _s("BNS", "308(5)", "Extortion by putting a person in fear of death or grievous hurt", "EXTORTION",
       0.20),
    _s("BNS", "316(2)", "Punishment for criminal breach of trust", "CRIMINAL_BREACH_OF_TRUST", 0.85),
    _s("BNS", "316(5)", "Criminal breach of trust by public servant, or by banker, merchant or agent",
       "CRIMINAL_BREACH_OF_TRUST", 0.15),
    _s("BNS", "318(4)", "Cheating and dishonestly inducing delivery of property", "CHEATING", 0.90),
    _s("BNS", "318(2)", "Punishment for cheating", "CHEATING", 0.10),
    _s("BNS", "336(2)", "Punishment for forgery", "FORGERY", 0.20),
    _s("BNS", "336(3)", "Forgery for purpose of cheating", "FORGERY", 0.35),
    _s("BNS", "338", "Forgery of valuable security, will, etc.", "FORGERY", 0.30),
    _s("BNS", "340", "Forged document or electronic record and using it as genuine", "FORGERY",
       0.0, note=BARE_RULE),
    _s("BNS", "340(2)", "Using as genuine a forged document or electronic record", "FORGERY",
       0.05),
    _s("BNS", "178", "Counterfeiting coin, Government stamps, currency-notes or bank-notes", "FORGERY", 0.10),
    _s("BNS", "317(2)", "Dishonestly receiving stolen property", "RECEIVING_STOLEN_PROPERTY", 1.0),
    _s("BNS", "319", "Cheating by personation", "IMPERSONATION", 0.35, note=BARE_RULE),
    _s("BNS", "319(2)", "Punishment for cheating by personation", "IMPERSONATION", 0.50),
    _s("BNS", "204", "Personating a public servant", "IMPERSONATION", 0.15),
    _s("BNS", "351", "Criminal intimidation", "CRIMINAL_INTIMIDATION", 0.20, note=BARE_RULE),
    _s("BNS", "351(2)", "Punishment for criminal intimidation", "CRIMINAL_INTIMIDATION", 0.45),
    _s("BNS", "351(3)", "Criminal intimidation by threat to cause death or grievous hurt, etc.",
       "CRIMINAL_INTIMIDATION", 0.15),
    _s("BNS", "352", "Intentional insult with intent to provoke breach of peace", "CRIMINAL_INTIMIDATION",
       0.20),
    _s("BNS", "324(4)", "Mischief causing loss or damage of twenty thousand rupees or more",
       "MISCHIEF_ARSON", 0.70),
    _s("BNS", "326(f)", "Mischief by fire or explosive substance with intent to cause damage",
       "MISCHIEF_ARSON", 0.15),
    _s("BNS", "326(g)", "Mischief by fire or explosive substance with intent to destroy house, etc.",
       "MISCHIEF_ARSON", 0.15),
    _s("BNS", "3(5)", "Acts done by several persons in furtherance of common intention", "OTHER_IPC_BNS",
       0.0),
    _s("BNS", "45", "Abetment of a thing", "OTHER_IPC_BNS", 0.0),
    _s("BNS", "49", "Punishment of abetment if the act abetted is committed in consequence",
       "OTHER_IPC_BNS", 0.0),
    _s("BNS", "238", "Causing disappearance of evidence of offence, or giving false information to screen "
       "offender", "OTHER_IPC_BNS", 0.0,
       note="7 years when the offence screened is capital; less otherwise."),
    _s("BNS", "72", "Disclosure of identity of victim of certain offences", "OTHER_IPC_BNS", 0.005),
    _s("BNS", "329(3)", "Punishment for criminal trespass", "OTHER_IPC_BNS", 0.20),
    _s("BNS", "329(4)", "Punishment for house-trespass", "OTHER_IPC_BNS", 0.20),
    _s("BNS", "296", "Obscene acts and songs", "OTHER_IPC_BNS", 0.20),
    _s("BNS", "292", "Public nuisance in cases not otherwise provided for", "OTHER_IPC_BNS", 0.20),
    _s("BNS", "125", "Act endangering life or personal safety of others", "OTHER_IPC_BNS", 0.10),
    _s("BNS", "209", "Non-appearance in response to a proclamation", "OTHER_IPC_BNS", 0.10),
    # ---------------------------------------------------------------- special and local laws
    _s("POCSO", "4", "Punishment for penetrative sexual assault", "POCSO", 0.35,
       note="10 years to life (20 years minimum for a child under 16) since the 2019 amendment."),
    _s("POCSO", "6", "Punishment for aggravated penetrative sexual assault", "POCSO", 0.25,
       note="Death added by the 2019 amendment (16 Aug 2019)."),
    _s("POCSO", "8", "Punishment for sexual assault", "POCSO", 0.22),
    _s("POCSO", "10", "Punishment for aggravated sexual assault", "POCSO", 0.10),
    _s("POCSO", "12", "Punishment for sexual harassment", "POCSO", 0.08),
    _s("NDPS", "20", "Punishment for contravention in relation to cannabis plant and cannabis", "NDPS",
       0.45, note="Commercial quantity; small quantity 1 year."),
    _s("NDPS", "21", "Punishment for contravention in relation to manufactured drugs and preparations",
       "NDPS", 0.20),
    _s("NDPS", "22", "Punishment for contravention in relation to psychotropic substances", "NDPS",
       0.15),
    _s("NDPS", "27", "Punishment for consumption of any narcotic drug or psychotropic substance", "NDPS",
       0.20),
    _s("NDPS", "8(c)", "Prohibition of certain operations (production, possession, sale, transport, etc.)",
       "NDPS", 0.0),
    _s("ARMS", "25", "Punishment for certain offences (possession, manufacture, sale of arms)", "ARMS_ACT",
       0.85, note="25(1AA) (prohibited arms) carries life; not modelled."),
    _s("ARMS", "27", "Punishment for using arms, etc.", "ARMS_ACT", 0.15),
    _s("IT", "66", "Computer related offences", "CYBER_IT_ACT", 0.25, valid_from="2009-10-27"),
    _s("IT", "66C", "Punishment for identity theft", "CYBER_IT_ACT", 0.20,
       valid_from="2009-10-27"),
    _s("IT", "66D", "Punishment for cheating by personation by using computer resource", "CYBER_IT_ACT",
       0.35, valid_from="2009-10-27"),
    _s("IT", "67", "Publishing or transmitting obscene material in electronic form", "CYBER_IT_ACT",
       0.10, note="First conviction; 5 years on a subsequent conviction."),
    _s("IT", "67A", "Publishing or transmitting of material containing sexually explicit act in electronic "
       "form", "CYBER_IT_ACT", 0.08, valid_from="2009-10-27",
       note="First conviction; 7 years on a subsequent conviction."),
    _s("IT", "67B", "Publishing or transmitting of material depicting children in sexually explicit act",
       "CYBER_IT_ACT", 0.02, valid_from="2009-10-27"),
    _s("SCST_POA", "3(1)(r)", "Intentionally insulting or intimidating a member of an SC/ST in public view",
       "SCST_ATROCITIES", 0.45, valid_from="2016-01-26"),
    _s("SCST_POA", "3(1)(s)", "Abusing a member of an SC/ST by caste name in public view", "SCST_ATROCITIES",
       0.35, valid_from="2016-01-26"),
    _s("SCST_POA", "3(2)(v)", "Offence under the IPC/BNS punishable with 10 years or more against an SC/ST "
       "member", "SCST_ATROCITIES", 0.20),
    _s("DP", "3", "Penalty for giving or taking dowry", "DOWRY_PROHIBITION", 0.30),
    _s("DP", "4", "Penalty for demanding dowry", "DOWRY_PROHIBITION", 0.70),
    _s("EXCISE", "34", "Unlawful manufacture, transport, possession or sale of liquor (model State Act)",
       "EXCISE_PROHIBITION", 0.70, note="Section numbers vary by State."),
    _s("EXCISE", "37", "Consumption or possession for consumption in prohibited area (model State Act)",
       "EXCISE_PROHIBITION", 0.30, note="Section numbers vary by State."),
    _s("GAMBLING", "3", "Penalty for owning or keeping, or having charge of a gaming-house", "GAMBLING",
       0.35),
    _s("GAMBLING", "4", "Penalty for being found in gaming-house", "GAMBLING", 0.40),
    _s("GAMBLING", "13", "Gaming and setting birds and animals to fight in public streets", "GAMBLING",
       0.25),
    _s("MV", "184", "Driving dangerously", "MV_ACT", 0.40,
       note="First offence; 2 years on a subsequent offence (2019 amendment)."),
    _s("MV", "185", "Driving by a drunken person or by a person under the influence of drugs", "MV_ACT",
       0.40, note="First offence; 2 years on a subsequent offence."),
    _s("MV", "3/181", "Driving without a licence (section 3 read with 181)", "MV_ACT", 0.20),
    _s("OTHER_SLL", "OTHER", "Any section of another special or local law", "OTHER_SLL",
       1.0, note="Years set to 1 as a neutral placeholder."),
)

# =============================================================================================
# IPC -> BNS crosswalk
# =============================================================================================

#: Every pair listed in shared/DOMAIN.md ("IPC -> BNS, major offences"), verbatim.
DOMAIN_CROSSWALK: tuple[tuple[str, str], ...] = (
    ("34", "3(5)"), ("107", "45"), ("120B", "61(2)"), ("124A", "152"), ("141", "189"), ("147", "191(2)"),
    ("148", "191(3)"), ("149", "190"), ("201", "238"), ("279", "281"), ("302", "103(1)"), ("304", "105"),
    ("304A", "106(1)"), ("304B", "80"), ("306", "108"), ("307", "109"), ("323", "115(2)"), ("324", "118(1)"),
    ("325", "117"), ("326", "118(2)"), ("354", "74"), ("354A", "75"), ("354D", "78"), ("363", "137(2)"),
    ("364", "140"), ("366", "87"), ("370", "143"), ("376", "64"), ("376D", "70"), ("379", "303(2)"),
    ("380", "305"), ("384", "308(2)"), ("392", "309(4)"), ("395", "310(2)"), ("406", "316(2)"),
    ("409", "316(5)"), ("411", "317(2)"), ("419", "319"), ("420", "318(4)"), ("467", "338"), ("471", "340"),
    ("498A", "85"), ("506", "351"), ("509", "79"), ("228A", "72"),
)
#: Relation and note for DOMAIN.md pairs that are not plain equivalents (default EQUIVALENT).
DOMAIN_CROSSWALK_NOTES: dict[tuple[str, str], tuple[str, str]] = {
    ("124A", "152"): ("REPLACEMENT", "Sedition dropped; BNS 152 is a different, wider offence."),
    ("376", "64"): ("PARTIAL", "Rape of a woman under 16 (IPC 376(3)) moved to BNS 65(1)."),
    ("376D", "70"): ("PARTIAL", "BNS 70 also absorbs gang rape of minors (IPC 376DA, 376DB) in 70(2)."),
    ("380", "305"): ("PARTIAL", "BNS 305 widens theft in a dwelling to means of transport, places of "
                                "worship and Government property."),
    ("364", "140"): ("PARTIAL", "BNS 140 also covers kidnapping for ransom (364A) and to confine (365)."),
    ("304A", "106(1)"): ("EQUIVALENT", "Maximum raised from 2 to 5 years."),
    ("384", "308(2)"): ("EQUIVALENT", "Maximum raised from 3 to 7 years."),
    ("406", "316(2)"): ("EQUIVALENT", "Maximum raised from 3 to 5 years."),
    ("148", "191(3)"): ("EQUIVALENT", "Maximum raised from 3 to 5 years."),
    ("419", "319"): ("EQUIVALENT", "Maximum raised from 3 to 5 years (319(2))."),
    ("325", "117"): ("EQUIVALENT", "Punishment in 117(2)."),
    ("506", "351"): ("EQUIVALENT", "Punishment in 351(2); threat to cause death etc. in 351(3)."),
}
#: Pairs added here from the MHA correspondence table as remembered: to be verified against the
#: official table before relying on them (source MHA_TABLE_UNVERIFIED).
EXTRA_CROSSWALK: tuple[tuple[str, str, str, str], ...] = (
    ("376(2)", "64(2)", "EQUIVALENT", ""),
    ("376(3)", "65(1)", "EQUIVALENT", ""),
    ("376A", "66", "EQUIVALENT", ""),
    ("376AB", "65(2)", "EQUIVALENT", ""),
    ("376B", "67", "EQUIVALENT", ""),
    ("376C", "68", "EQUIVALENT", ""),
    ("376DA", "70(2)", "PARTIAL", "70(2) covers gang rape of any woman under 18."),
    ("376DB", "70(2)", "PARTIAL", "70(2) covers gang rape of any woman under 18."),
    ("376E", "71", "EQUIVALENT", ""),
    ("354B", "76", "EQUIVALENT", ""),
    ("354C", "77", "EQUIVALENT", ""),
    ("366A", "96", "PARTIAL", "BNS 96 covers procuration of any child, not only girls."),
    ("370A", "144", "EQUIVALENT", ""),
    ("364A", "140(2)", "EQUIVALENT", ""),
    ("365", "140(3)", "EQUIVALENT", ""),
    ("454", "331(3)", "EQUIVALENT", ""),
    ("457", "331(4)", "EQUIVALENT", ""),
    ("381", "306", "EQUIVALENT", ""),
    ("394", "309(6)", "EQUIVALENT", ""),
    ("396", "310(3)", "EQUIVALENT", ""),
    ("399", "310(4)", "EQUIVALENT", ""),
    ("402", "310(5)", "EQUIVALENT", ""),
    ("386", "308(5)", "EQUIVALENT", ""),
    ("356", "134", "EQUIVALENT", ""),
    ("356", "304", "PARTIAL", "Not in the MHA table: snatching (BNS 304) is new; pairing kept for trend "
                              "continuity because snatching was registered under 356 (with 379) before."),
    ("326A", "124(1)", "EQUIVALENT", ""),
    ("332", "121(1)", "EQUIVALENT", "Maximum raised from 3 to 5 years."),
    ("353", "132", "EQUIVALENT", ""),
    ("186", "221", "EQUIVALENT", ""),
    ("188", "223", "EQUIVALENT", ""),
    ("143", "189(2)", "EQUIVALENT", ""),
    ("144", "189(4)", "EQUIVALENT", ""),
    ("153A", "196", "EQUIVALENT", ""),
    ("121", "147", "EQUIVALENT", ""),
    ("417", "318(2)", "EQUIVALENT", ""),
    ("465", "336(2)", "EQUIVALENT", ""),
    ("468", "336(3)", "EQUIVALENT", ""),
    ("489A", "178", "EQUIVALENT", ""),
    ("170", "204", "EQUIVALENT", ""),
    ("504", "352", "EQUIVALENT", ""),
    ("341", "126(2)", "EQUIVALENT", ""),
    ("342", "127(2)", "EQUIVALENT", ""),
    ("447", "329(3)", "EQUIVALENT", ""),
    ("448", "329(4)", "EQUIVALENT", ""),
    ("427", "324(4)", "PARTIAL", "BNS grades mischief by the amount of loss."),
    ("435", "326(f)", "EQUIVALENT", ""),
    ("436", "326(g)", "EQUIVALENT", ""),
    ("294", "296", "EQUIVALENT", ""),
    ("290", "292", "EQUIVALENT", ""),
    ("336", "125", "EQUIVALENT", ""),
    ("337", "125(a)", "EQUIVALENT", ""),
    ("338", "125(b)", "EQUIVALENT", ""),
    ("174A", "209", "EQUIVALENT", ""),
    ("109", "49", "EQUIVALENT", ""),
    ("497", "", "NONE", "Adultery: struck down in 2018, not re-enacted."),
    ("377", "", "NONE", "Unnatural offences: not re-enacted in BNS."),
    ("309", "", "NONE", "Attempt to commit suicide: not re-enacted (BNS 226 is a different offence)."),
)

# =============================================================================================
# ITSSO and NDSO
# =============================================================================================

#: (act, section, law_era, deadline_rule, applies_from): exactly the lists of DOMAIN.md.
ITSSO: tuple[tuple[str, str, str, str, str], ...] = (
    *(("IPC", s, "OLD", "CrPC 173(1A)", AMEND_2018)
      for s in ("376", "376A", "376AB", "376B", "376C", "376D", "376DA", "376DB", "376E")),
    *(("BNS", s, "NEW", "BNSS 193(2)", BNS_VALID_FROM) for s in ("64", "65", "66", "67", "68", "70", "71")),
    *(("POCSO", s, "NEW", "BNSS 193(2)", BNS_VALID_FROM) for s in ("4", "6", "8", "10")),
)
ITSSO_DEADLINE_DAYS = 60

#: (act, section, offence_group, law_era)
NDSO: tuple[tuple[str, str, str, str], ...] = (
    *(("IPC", s, "RAPE", "OLD") for s in ("376", "376A", "376AB", "376B", "376C", "376E")),
    *(("IPC", s, "GANG_RAPE", "OLD") for s in ("376D", "376DA", "376DB")),
    *(("IPC", s, "STALKING_EVE_TEASING", "OLD") for s in ("354A", "354D", "509")),
    *(("BNS", s, "RAPE", "NEW") for s in ("64", "65", "66", "67", "68", "71")),
    ("BNS", "70", "GANG_RAPE", "NEW"),
    *(("BNS", s, "STALKING_EVE_TEASING", "NEW") for s in ("75", "78", "79")),
    *(("POCSO", s, "POCSO", "BOTH") for s in ("4", "6", "8", "10", "12")),
)

# =============================================================================================
# Modus-operandi vocabulary (IIF-II crime details): field, code, label, mo_group
# =============================================================================================

MO_VOCABULARY: tuple[tuple[str, str, str, str], ...] = (
    # place_type
    ("place_type", "RESIDENCE", "Residential premises", "ANY"),
    ("place_type", "SHOP_MARKET", "Shop, market or commercial establishment", "ANY"),
    ("place_type", "STREET_ROAD", "Street, lane or road", "ANY"),
    ("place_type", "HIGHWAY", "National or State highway", "ANY"),
    ("place_type", "BANK_ATM", "Bank, ATM or financial institution", "ANY"),
    ("place_type", "OFFICE_WORKPLACE", "Office or workplace", "ANY"),
    ("place_type", "FIELD_FARM", "Agricultural field, farm or orchard", "ANY"),
    ("place_type", "RAILWAY_BUS_TRANSIT", "Railway station, train, bus stand or bus", "ANY"),
    ("place_type", "PLACE_OF_WORSHIP", "Temple, mosque, church, gurudwara or other place of worship", "ANY"),
    ("place_type", "SCHOOL_COLLEGE", "School, college or coaching centre", "ANY"),
    ("place_type", "ONLINE", "Online / cyberspace (no physical scene)", "CYBER_FRAUD"),
    # mo_class -- property
    ("mo_class", "HOUSE_BREAKING_NIGHT", "House-breaking by night", "PROPERTY"),
    ("mo_class", "DAY_BURGLARY", "House-breaking by day", "PROPERTY"),
    ("mo_class", "SHOP_BREAKING", "Shop or godown breaking", "PROPERTY"),
    ("mo_class", "TEMPLE_THEFT", "Theft of idols, ornaments or donation box from a place of worship", "PROPERTY"),
    ("mo_class", "POCKET_PICKING", "Pocket-picking in a crowd or public transport", "PROPERTY"),
    ("mo_class", "CHAIN_SNATCHING_BIKE", "Chain snatching by two persons on a motorcycle", "PROPERTY"),
    ("mo_class", "MOBILE_SNATCHING", "Mobile phone snatching", "PROPERTY"),
    ("mo_class", "VEHICLE_LIFTING_DUPLICATE_KEY", "Vehicle lifting with a duplicate or master key", "PROPERTY"),
    ("mo_class", "VEHICLE_LIFTING_LOCK_BREAKING", "Vehicle lifting by breaking the handle or steering lock",
     "PROPERTY"),
    ("mo_class", "CATTLE_THEFT", "Cattle lifting", "PROPERTY"),
    ("mo_class", "DISTRACTION_THEFT", "Theft by distraction (dropped currency, spilled substance, fake help)",
     "PROPERTY"),
    ("mo_class", "HIGHWAY_ROBBERY", "Robbery of travellers or trucks on a highway", "PROPERTY"),
    ("mo_class", "DACOITY_GANG_HOUSE", "Armed gang raid on a house or shop", "PROPERTY"),
    # mo_class -- violent
    ("mo_class", "SUDDEN_QUARREL", "Sudden quarrel or provocation", "VIOLENT"),
    ("mo_class", "PREMEDITATED_ATTACK", "Premeditated attack (enmity, revenge)", "VIOLENT"),
    ("mo_class", "LAND_PROPERTY_DISPUTE", "Dispute over land, boundary or property", "VIOLENT"),
    ("mo_class", "FAMILY_DISPUTE", "Family or domestic dispute", "VIOLENT"),
    ("mo_class", "DOWRY_HARASSMENT", "Harassment for dowry", "VIOLENT"),
    ("mo_class", "HONOUR_CRIME", "Crime in the name of family honour", "VIOLENT"),
    ("mo_class", "KIDNAP_FOR_RANSOM", "Kidnapping for ransom", "VIOLENT"),
    ("mo_class", "ELOPEMENT_KIDNAP", "Kidnapping reported after elopement or love affair", "VIOLENT"),
    ("mo_class", "CASTE_ABUSE", "Abuse or assault on caste grounds", "VIOLENT"),
    # mo_class -- sexual
    ("mo_class", "FALSE_PROMISE_OF_MARRIAGE", "Sexual exploitation on a false promise of marriage", "SEXUAL"),
    ("mo_class", "KNOWN_PERSON_ASSAULT", "Sexual assault by a known person (neighbour, relative, acquaintance)",
     "SEXUAL"),
    ("mo_class", "STRANGER_ASSAULT", "Sexual assault by a stranger", "SEXUAL"),
    ("mo_class", "WORKPLACE_HARASSMENT", "Harassment at the workplace", "SEXUAL"),
    ("mo_class", "PUBLIC_PLACE_HARASSMENT", "Eve-teasing or stalking in a public place", "SEXUAL"),
    # mo_class -- cyber fraud
    ("mo_class", "ATM_SKIMMING", "Card skimming at an ATM or point of sale", "CYBER_FRAUD"),
    ("mo_class", "OTP_FRAUD", "Victim tricked into sharing an OTP or PIN", "CYBER_FRAUD"),
    ("mo_class", "UPI_COLLECT_REQUEST_FRAUD", "UPI collect request or QR code presented as a payment",
     "CYBER_FRAUD"),
    ("mo_class", "FAKE_JOB_OFFER", "Fake job offer or part-time task scam", "CYBER_FRAUD"),
    ("mo_class", "SEXTORTION_VIDEO_CALL", "Sextortion after a recorded video call", "CYBER_FRAUD"),
    ("mo_class", "DIGITAL_ARREST_SCAM", "Fraudsters posing as police or agencies ('digital arrest')",
     "CYBER_FRAUD"),
    ("mo_class", "INVESTMENT_TRADING_APP", "Fake stock, crypto or trading-app investment", "CYBER_FRAUD"),
    ("mo_class", "LOAN_APP_HARASSMENT", "Instant loan app with extortion and harassment", "CYBER_FRAUD"),
    ("mo_class", "ONLINE_SHOPPING_FRAUD", "Online shopping or marketplace fraud", "CYBER_FRAUD"),
    ("mo_class", "SOCIAL_MEDIA_IMPERSONATION", "Fake or cloned social-media profile asking for money",
     "CYBER_FRAUD"),
    # mo_class -- economic
    ("mo_class", "CHIT_FUND_PONZI", "Chit fund, Ponzi or multi-level marketing scheme", "ECONOMIC"),
    ("mo_class", "LAND_FRAUD_FORGED_DEED", "Land fraud with forged deeds or impersonated owner", "ECONOMIC"),
    ("mo_class", "FAKE_CURRENCY_CIRCULATION", "Circulation of counterfeit currency", "ECONOMIC"),
    ("mo_class", "EMBEZZLEMENT_EMPLOYEE", "Embezzlement by an employee, agent or partner", "ECONOMIC"),
    # mo_class -- public order
    ("mo_class", "COMMUNAL_CLASH", "Communal clash", "PUBLIC_ORDER"),
    ("mo_class", "POLITICAL_CLASH", "Political or election-related clash", "PUBLIC_ORDER"),
    ("mo_class", "PROHIBITORY_ORDER_VIOLATION", "Violation of prohibitory or public-health orders",
     "PUBLIC_ORDER"),
    # mo_class -- traffic
    ("mo_class", "HIT_AND_RUN", "Hit and run", "TRAFFIC"),
    ("mo_class", "OVERSPEEDING", "Over-speeding or dangerous driving", "TRAFFIC"),
    ("mo_class", "DRUNK_DRIVING", "Driving under the influence", "TRAFFIC"),
    # mo_class -- special laws
    ("mo_class", "DRUG_PEDDLING", "Drug peddling or trafficking", "SLL"),
    ("mo_class", "DRUG_PERSONAL_USE", "Possession or consumption for personal use", "SLL"),
    ("mo_class", "ILLICIT_LIQUOR", "Illicit brewing, smuggling or sale of liquor", "SLL"),
    ("mo_class", "ILLEGAL_ARMS_POSSESSION", "Possession of an illegal (country-made) firearm", "SLL"),
    ("mo_class", "GAMBLING_DEN", "Gambling den or street gambling", "SLL"),
    ("mo_class", "ONLINE_BETTING", "Online betting or cricket satta", "SLL"),
    ("mo_class", "OTHER", "Other modus operandi", "ANY"),
    # entry_method
    ("entry_method", "LOCK_BREAKING", "Breaking or cutting the lock", "PROPERTY"),
    ("entry_method", "WALL_HOLE", "Hole in the wall (sendh)", "PROPERTY"),
    ("entry_method", "DUPLICATE_KEY", "Duplicate or master key", "PROPERTY"),
    ("entry_method", "OPEN_DOOR", "Through a door or window left open", "PROPERTY"),
    ("entry_method", "DECEPTION", "By deception or false identity (posing as official, salesman)", "ANY"),
    ("entry_method", "INSIDER", "Insider with lawful access", "ANY"),
    ("entry_method", "REMOTE_ONLINE", "Remote access over phone or internet", "CYBER_FRAUD"),
    ("entry_method", "NOT_APPLICABLE", "Not applicable", "ANY"),
    # tools_used
    ("tools_used", "IRON_ROD", "Iron rod, crowbar or screwdriver", "PROPERTY"),
    ("tools_used", "LOCK_CUTTER", "Lock cutter or gas cutter", "PROPERTY"),
    ("tools_used", "KNIFE_SHARP_WEAPON", "Knife, sickle, axe or other sharp weapon", "VIOLENT"),
    ("tools_used", "COUNTRY_MADE_PISTOL", "Country-made pistol (katta)", "VIOLENT"),
    ("tools_used", "LATHI_STICK", "Lathi, stick or blunt object", "VIOLENT"),
    ("tools_used", "ACID", "Acid or corrosive substance", "VIOLENT"),
    ("tools_used", "MOTORCYCLE", "Motorcycle used for approach and escape", "ANY"),
    ("tools_used", "MOBILE_PHONE_APP", "Mobile phone, messaging or remote-access app", "CYBER_FRAUD"),
    ("tools_used", "SKIMMER_DEVICE", "Skimmer or card-cloning device", "CYBER_FRAUD"),
    ("tools_used", "FORGED_DOCUMENTS", "Forged documents, stamps or seals", "ECONOMIC"),
    ("tools_used", "NONE", "None or not known", "ANY"),
    # target
    ("target", "CASH", "Cash", "ANY"),
    ("target", "JEWELLERY", "Gold or silver jewellery", "PROPERTY"),
    ("target", "MOBILE_PHONE", "Mobile phone", "PROPERTY"),
    ("target", "TWO_WHEELER", "Two-wheeler", "PROPERTY"),
    ("target", "FOUR_WHEELER", "Car, jeep or goods vehicle", "PROPERTY"),
    ("target", "CATTLE", "Cattle or livestock", "PROPERTY"),
    ("target", "BANK_ACCOUNT", "Bank account, card or UPI wallet", "CYBER_FRAUD"),
    ("target", "LAND_PROPERTY", "Land or immovable property", "ECONOMIC"),
    ("target", "WOMAN", "Woman", "SEXUAL"),
    ("target", "CHILD", "Child", "ANY"),
    ("target", "PERSON", "Any person", "VIOLENT"),
    # time_of_day
    ("time_of_day", "EARLY_MORNING", "Early morning (04:00-08:00)", "ANY"),
    ("time_of_day", "MORNING", "Morning (08:00-12:00)", "ANY"),
    ("time_of_day", "AFTERNOON", "Afternoon (12:00-16:00)", "ANY"),
    ("time_of_day", "EVENING", "Evening (16:00-20:00)", "ANY"),
    ("time_of_day", "NIGHT", "Night (20:00-24:00)", "ANY"),
    ("time_of_day", "LATE_NIGHT", "Late night (00:00-04:00)", "ANY"),
    ("time_of_day", "UNKNOWN", "Not known", "ANY"),
)
MO_FIELDS = ("place_type", "mo_class", "entry_method", "tools_used", "target", "time_of_day")
MO_GROUPS = ("PROPERTY", "VIOLENT", "SEXUAL", "CYBER_FRAUD", "ECONOMIC", "PUBLIC_ORDER", "TRAFFIC", "SLL", "ANY")

# =============================================================================================
# Simulation parameters per crime head (sample_data/calibration/crime_head_params.csv)
# =============================================================================================

#: Share of IPC(+BNS) in all cognizable crimes, NCRB 2022: 35,61,379 of 58,24,946.
IPC_SHARE = 3_561_379 / NCRB_2022_CASES
REMAINDER = -1.0  # national_share of OTHER_IPC_BNS / OTHER_SLL: whatever makes the totals exact

# code: (national_share, victim_profile, property_profile, mo_group, accused_mean,
#        unknown_accused_prob, arrest_prob, median_investigation_days, chargesheet_prob,
#        conviction_prob, median_trial_days, seasonal_amplitude, peak_month)
CRIME_HEAD_PARAMS: dict[str, tuple[float, str, str, str, float, float, float, int, float, float, int,
                                   float, int]] = {
    "MURDER": (0.0049, "ANY", "NONE", "VIOLENT", 2.2, 0.10, 0.85, 75, 0.86, 0.43, 1600, 0.10, 5),
    "CULPABLE_HOMICIDE": (0.0007, "ANY", "NONE", "VIOLENT", 2.0, 0.10, 0.80, 80, 0.84, 0.40, 1500, 0.10, 5),
    "DOWRY_DEATH": (0.0011, "FEMALE", "NONE", "VIOLENT", 2.8, 0.02, 0.75, 70, 0.92, 0.33, 1500, 0.05, 6),
    "ATTEMPT_MURDER": (0.0087, "ANY", "NONE", "VIOLENT", 2.6, 0.08, 0.80, 70, 0.88, 0.30, 1400, 0.10, 5),
    "ABETMENT_SUICIDE": (0.0010, "ANY", "NONE", "VIOLENT", 1.8, 0.05, 0.55, 90, 0.78, 0.20, 1300, 0.05, 5),
    "DEATH_NEGLIGENCE": (0.0300, "ANY", "VEHICLE", "TRAFFIC", 1.0, 0.25, 0.85, 45, 0.84, 0.60, 900, 0.08, 5),
    "RASH_DRIVING": (0.0300, "ANY", "VEHICLE", "TRAFFIC", 1.0, 0.20, 0.80, 30, 0.85, 0.72, 700, 0.08, 5),
    "GRIEVOUS_HURT": (0.0120, "ANY", "NONE", "VIOLENT", 2.5, 0.08, 0.70, 50, 0.88, 0.45, 1100, 0.12, 5),
    "HURT": (0.0750, "ANY", "NONE", "VIOLENT", 2.3, 0.05, 0.45, 35, 0.88, 0.60, 900, 0.12, 5),
    "WRONGFUL_RESTRAINT": (0.0040, "ANY", "NONE", "VIOLENT", 2.0, 0.05, 0.40, 40, 0.80, 0.50, 900, 0.08, 5),
    "ASSAULT_PUBLIC_SERVANT": (0.0025, "ANY", "NONE", "PUBLIC_ORDER", 2.5, 0.05, 0.75, 40, 0.92, 0.55, 900,
                               0.05, 5),
    "RAPE": (0.0050, "FEMALE", "NONE", "SEXUAL", 1.2, 0.03, 0.85, 50, 0.80, 0.27, 900, 0.10, 6),
    "GANG_RAPE": (0.0004, "FEMALE", "NONE", "SEXUAL", 3.2, 0.08, 0.85, 50, 0.86, 0.30, 1000, 0.10, 6),
    "DECEITFUL_SEXUAL_INTERCOURSE": (0.0003, "FEMALE", "NONE", "SEXUAL", 1.0, 0.02, 0.70, 55, 0.70, 0.20, 900,
                                     0.05, 6),
    "ASSAULT_OUTRAGE_MODESTY": (0.0095, "FEMALE", "NONE", "SEXUAL", 1.6, 0.06, 0.60, 40, 0.86, 0.25, 800,
                                0.10, 6),
    "SEXUAL_HARASSMENT": (0.0030, "FEMALE", "NONE", "SEXUAL", 1.2, 0.08, 0.55, 40, 0.82, 0.25, 800, 0.08, 6),
    "STALKING": (0.0018, "FEMALE", "NONE", "SEXUAL", 1.1, 0.10, 0.55, 40, 0.80, 0.30, 700, 0.08, 6),
    "INSULT_MODESTY": (0.0015, "FEMALE", "NONE", "SEXUAL", 1.3, 0.05, 0.45, 35, 0.80, 0.30, 700, 0.05, 6),
    "CRUELTY_HUSBAND": (0.0240, "FEMALE", "NONE", "VIOLENT", 3.0, 0.00, 0.25, 60, 0.72, 0.18, 1200, 0.05, 5),
    "KIDNAPPING_ABDUCTION": (0.0135, "CHILD", "NONE", "VIOLENT", 1.2, 0.35, 0.70, 90, 0.45, 0.40, 1100, 0.08,
                             5),
    "KIDNAP_WOMEN_MARRIAGE": (0.0050, "FEMALE", "NONE", "VIOLENT", 1.5, 0.10, 0.70, 70, 0.55, 0.25, 1000, 0.08,
                              5),
    "HUMAN_TRAFFICKING": (0.0004, "FEMALE", "NONE", "SEXUAL", 2.5, 0.15, 0.80, 80, 0.82, 0.35, 1200, 0.05, 5),
    "RIOTING": (0.0070, "ANY", "NONE", "PUBLIC_ORDER", 7.0, 0.05, 0.60, 50, 0.85, 0.30, 1300, 0.10, 5),
    "UNLAWFUL_ASSEMBLY": (0.0015, "NONE", "NONE", "PUBLIC_ORDER", 8.0, 0.05, 0.50, 40, 0.80, 0.35, 1000, 0.08,
                          5),
    "PROMOTING_ENMITY": (0.0003, "NONE", "NONE", "PUBLIC_ORDER", 1.5, 0.15, 0.60, 90, 0.60, 0.25, 1200, 0.05,
                         10),
    "MOB_LYNCHING": (0.00004, "ANY", "NONE", "PUBLIC_ORDER", 8.0, 0.05, 0.85, 80, 0.90, 0.35, 1500, 0.05, 6),
    "ORGANISED_CRIME": (0.0001, "NONE", "CASH", "ECONOMIC", 5.0, 0.05, 0.85, 150, 0.88, 0.40, 1500, 0.02, 5),
    "TERRORIST_ACT": (0.00002, "ANY", "ARMS", "PUBLIC_ORDER", 4.0, 0.30, 0.80, 180, 0.70, 0.30, 2000, 0.02, 5),
    "ENDANGERING_SOVEREIGNTY": (0.00003, "NONE", "NONE", "PUBLIC_ORDER", 2.0, 0.10, 0.70, 180, 0.50, 0.20, 2000,
                                0.02, 5),
    "CRIMINAL_CONSPIRACY": (0.0008, "ANY", "CASH", "ECONOMIC", 3.5, 0.05, 0.60, 120, 0.75, 0.35, 1400, 0.03, 5),
    "DISOBEDIENCE_ORDER": (0.0120, "NONE", "NONE", "PUBLIC_ORDER", 1.5, 0.05, 0.20, 10, 0.97, 0.85, 300, 0.10,
                           4),
    "THEFT": (0.1100, "ANY", "GENERAL", "PROPERTY", 1.3, 0.75, 0.70, 90, 0.38, 0.55, 900, 0.08, 5),
    "HOUSE_BREAKING": (0.0180, "ANY", "JEWELLERY", "PROPERTY", 1.6, 0.85, 0.75, 100, 0.32, 0.45, 1000, 0.12, 5),
    "ROBBERY": (0.0055, "ANY", "CASH", "PROPERTY", 2.5, 0.45, 0.80, 90, 0.65, 0.40, 1100, 0.10, 5),
    "DACOITY": (0.0007, "ANY", "CASH", "PROPERTY", 5.5, 0.35, 0.80, 100, 0.72, 0.35, 1300, 0.10, 5),
    "SNATCHING": (0.0015, "ANY", "JEWELLERY", "PROPERTY", 1.8, 0.80, 0.75, 80, 0.40, 0.45, 900, 0.10, 5),
    "EXTORTION": (0.0020, "ANY", "CASH", "PROPERTY", 2.0, 0.20, 0.60, 70, 0.65, 0.30, 1100, 0.05, 5),
    "CRIMINAL_BREACH_OF_TRUST": (0.0035, "ANY", "CASH", "ECONOMIC", 1.8, 0.05, 0.40, 150, 0.55, 0.30, 1500,
                                 0.03, 3),
    "CHEATING": (0.0240, "ANY", "CASH", "CYBER_FRAUD", 1.8, 0.45, 0.45, 150, 0.50, 0.30, 1400, 0.03, 3),
    "FORGERY": (0.0040, "ANY", "GENERAL", "ECONOMIC", 2.0, 0.10, 0.50, 150, 0.65, 0.30, 1500, 0.03, 3),
    "RECEIVING_STOLEN_PROPERTY": (0.0030, "NONE", "VEHICLE", "PROPERTY", 1.5, 0.00, 0.90, 40, 0.95, 0.55, 900,
                                  0.05, 5),
    "IMPERSONATION": (0.0015, "ANY", "CASH", "CYBER_FRAUD", 1.3, 0.50, 0.50, 120, 0.55, 0.35, 1200, 0.03, 3),
    "CRIMINAL_INTIMIDATION": (0.0120, "ANY", "NONE", "VIOLENT", 1.8, 0.08, 0.30, 40, 0.78, 0.45, 900, 0.05, 5),
    "MISCHIEF_ARSON": (0.0060, "ANY", "GENERAL", "PROPERTY", 1.8, 0.30, 0.45, 50, 0.65, 0.40, 900, 0.08, 4),
    "OTHER_IPC_BNS": (REMAINDER, "ANY", "NONE", "ANY", 1.5, 0.15, 0.45, 45, 0.85, 0.64, 700, 0.05, 5),
    "POCSO": (0.0109, "CHILD_FEMALE", "NONE", "SEXUAL", 1.2, 0.04, 0.85, 50, 0.90, 0.32, 700, 0.10, 6),
    "CYBER_IT_ACT": (0.0045, "ANY", "CASH", "CYBER_FRAUD", 1.2, 0.80, 0.60, 120, 0.40, 0.40, 1000, 0.03, 3),
    "NDPS": (0.0197, "NONE", "DRUGS", "SLL", 1.4, 0.02, 0.92, 100, 0.96, 0.78, 800, 0.05, 12),
    "ARMS_ACT": (0.0120, "NONE", "ARMS", "SLL", 1.1, 0.01, 0.95, 45, 0.97, 0.65, 900, 0.05, 5),
    "SCST_ATROCITIES": (0.0060, "SCST", "NONE", "VIOLENT", 3.0, 0.03, 0.55, 55, 0.80, 0.35, 1100, 0.05, 5),
    "DOWRY_PROHIBITION": (0.0023, "FEMALE", "CASH", "VIOLENT", 2.8, 0.00, 0.30, 60, 0.78, 0.25, 1100, 0.05, 5),
    "EXCISE_PROHIBITION": (0.0850, "NONE", "LIQUOR", "SLL", 1.1, 0.05, 0.85, 15, 0.98, 0.88, 250, 0.10, 10),
    "GAMBLING": (0.0300, "NONE", "CASH", "SLL", 3.5, 0.02, 0.90, 10, 0.98, 0.90, 180, 0.12, 11),
    "MV_ACT": (0.0400, "NONE", "VEHICLE", "TRAFFIC", 1.0, 0.02, 0.60, 7, 0.99, 0.95, 60, 0.05, 1),
    "OTHER_SLL": (REMAINDER, "ANY", "GENERAL", "SLL", 1.5, 0.05, 0.60, 30, 0.93, 0.85, 400, 0.05, 5),
}
VICTIM_PROFILES = ("NONE", "ANY", "FEMALE", "CHILD", "CHILD_FEMALE", "SCST")
PROPERTY_PROFILES = ("NONE", "VEHICLE", "MOBILE", "CASH", "JEWELLERY", "GENERAL", "DRUGS", "ARMS", "LIQUOR")

# fmt: on
# =============================================================================================
# Builders
# =============================================================================================

Row = dict[str, Any]


def _check(condition: bool, message: str) -> None:
    if not condition:
        raise ValueError(f"reference data inconsistent: {message}")


def _in_bbox(state: State, lat: float, lon: float) -> bool:
    lat_min, lat_max, lon_min, lon_max = state.bbox
    return lat_min <= lat <= lat_max and lon_min <= lon <= lon_max


def largest_remainder(
    weights: Sequence[float], total: int, minimum: Sequence[int] | None = None
) -> list[int]:
    """Integers proportional to ``weights`` summing exactly to ``total`` (Hamilton's method).

    Entries that would fall below their ``minimum`` are fixed at the minimum and the rest is
    re-apportioned among the others.
    """
    n = len(weights)
    mins = list(minimum) if minimum is not None else [0] * n
    _check(sum(mins) <= total, "minimums exceed the total")
    fixed: dict[int, int] = {}
    while True:
        free = [i for i in range(n) if i not in fixed]
        rest = total - sum(fixed.values())
        w = np.array([weights[i] for i in free], dtype=float)
        quotas = w / w.sum() * rest
        base = np.floor(quotas).astype(int)
        order = np.argsort(-(quotas - base), kind="stable")
        base[order[: rest - int(base.sum())]] += 1
        below = [free[j] for j in range(len(free)) if base[j] < mins[free[j]]]
        if not below:
            result = dict(fixed)
            result.update({free[j]: int(base[j]) for j in range(len(free))})
            return [result[i] for i in range(n)]
        for i in below:
            fixed[i] = mins[i]


def state_rows() -> list[Row]:
    rows = []
    for s in STATES:
        fmt, software = OWN_SOFTWARE.get(s.code, ("cas_csv", CAS_SOFTWARE))
        lat_min, lat_max, lon_min, lon_max = s.bbox
        rows.append(
            {
                "state_code": s.code,
                "state_name": s.name,
                "state_type": s.state_type,
                "region": s.region,
                "census2011_population": s.pop2011,
                "census2011_female_population": s.female2011,
                "decadal_growth_2001_2011_pct": f"{s.growth_pct:.2f}",
                "area_sq_km": s.area,
                "crime_rate_index": f"{s.crime_rate_index:.2f}",
                "extract_format": fmt,
                "source_system": software,
                "script": s.script,
                "lat_min": f"{lat_min:.2f}",
                "lat_max": f"{lat_max:.2f}",
                "lon_min": f"{lon_min:.2f}",
                "lon_max": f"{lon_max:.2f}",
                "metro_city": s.metro_city,
                "note": s.note,
                "vehicle_reg_prefix": s.vehicle_prefix,
            }
        )
    return rows


def _years_since_census(when: date) -> float:
    return (when - CENSUS_DATE).days / 365.25


def projected(state: State, k: float, when: date) -> float:
    """Damped exponential projection: P(t) = P2011 * exp(k * ln(1 + g/100) / 10 * t)."""
    rate = k * math.log1p(state.growth_pct / 100) / 10
    return state.pop2011 * math.exp(rate * _years_since_census(when))


def solve_damping_factor(target: float = PROJECTION_TARGET_2022) -> float:
    """The single k with sum over States of P_s(1 July 2022) == target (bisection; monotone in k)."""
    when = date(2022, 7, 1)
    lo, hi = 0.0, 2.0
    for _ in range(200):
        mid = (lo + hi) / 2
        total = sum(projected(s, mid, when) for s in STATES)
        lo, hi = (mid, hi) if total < target else (lo, mid)
    return (lo + hi) / 2


def population_rows(k: float) -> list[Row]:
    rows = []
    for s in STATES:
        share = s.female2011 / s.pop2011
        for year in PROJECTION_YEARS:
            pop = projected(s, k, date(year, 7, 1))
            rows.append(
                {
                    "state_code": s.code,
                    "year": year,
                    "population": round(pop),
                    "female_population": round(pop * share),
                    "method": f"census2011_exp_damped_k{k:.6f}",
                }
            )
    return rows


@dataclass(frozen=True)
class District:
    state_code: str
    index: int  # 1-based within the State
    code: str
    name: str
    hq: str
    lat: float
    lon: float


def districts() -> list[District]:
    out: list[District] = []
    number = 0
    for s in STATES:
        lines = [ln.strip() for ln in DISTRICTS[s.code].strip().splitlines() if ln.strip()]
        for i, line in enumerate(lines, start=1):
            name, hq, lat, lon = line.split("|")
            number += 1
            d = District(s.code, i, f"{number:03d}", name, hq or name, float(lat), float(lon))
            _check(_in_bbox(s, d.lat, d.lon), f"district HQ {name} outside the bbox of {s.name}")
            out.append(d)
    return out


def district_rows(ds: Iterable[District]) -> list[Row]:
    return [
        {
            "state_code": d.state_code,
            "district_code": d.code,
            "district_name": d.name,
            "hq_lat": f"{d.lat:.4f}",
            "hq_lon": f"{d.lon:.4f}",
            "hq_town": d.hq,
            "is_big_city": "Y" if d.name in BIG_CITY_DISTRICTS else "N",
        }
        for d in ds
    ]


def state_station_counts(ds: Sequence[District]) -> dict[str, int]:
    n_districts = {s.code: sum(1 for d in ds if d.state_code == s.code) for s in STATES}
    counts = largest_remainder(
        [PS_WEIGHTS[s.code] for s in STATES],
        TOTAL_POLICE_STATIONS,
        [MIN_STATIONS_PER_DISTRICT * n_districts[s.code] for s in STATES],
    )
    return {s.code: c for s, c in zip(STATES, counts, strict=True)}


class _NameMaker:
    """Unique, plausible station names within one district."""

    def __init__(self, family: str, rng: np.random.Generator) -> None:
        self.family = family
        self.rng = rng
        self.used: set[str] = set()

    def take(self, name: str) -> str:
        candidate, n = name, 1
        while candidate in self.used:
            n += 1
            candidate = f"{name} {n}"
        self.used.add(candidate)
        return candidate

    def urban(self, pool: list[str], hq: str) -> str:
        """Next unused locality; then localities with a direction ("Anna Nagar East"); then numbered."""
        while pool:
            name = pool.pop()
            if name not in self.used:
                return self.take(name)
        localities = [
            loc
            for loc in URBAN_LOCALITIES[self.family]
            if loc.split()[-1] not in {*URBAN_DIRECTIONS, "Town"} and not any(ch.isdigit() for ch in loc)
        ]
        for _ in range(50):
            base = localities[int(self.rng.integers(len(localities)))]
            name = f"{base} {URBAN_DIRECTIONS[int(self.rng.integers(len(URBAN_DIRECTIONS)))]}"
            if name not in self.used:
                return self.take(name)
        return self.take(f"{hq} Urban")

    def rural(self) -> str:
        prefixes, suffixes = RURAL_PREFIXES[self.family], RURAL_SUFFIXES[self.family]
        for _ in range(50):
            name = (
                prefixes[int(self.rng.integers(len(prefixes)))]
                + suffixes[int(self.rng.integers(len(suffixes)))]
            )
            if name not in self.used:
                return self.take(name)
        return self.take(prefixes[0] + suffixes[0])


def police_station_rows(ds: Sequence[District], rng: np.random.Generator) -> list[Row]:
    state_by_code = {s.code: s for s in STATES}
    per_state = state_station_counts(ds)
    rows: list[Row] = []
    for s in STATES:
        family = STATE_FAMILY[s.code]
        sds = [d for d in ds if d.state_code == s.code]
        weights = [
            float(np.exp(rng.normal(0.0, 0.3))) * (2.0 if d.name in BIG_CITY_DISTRICTS else 1.0) for d in sds
        ]
        counts = largest_remainder(weights, per_state[s.code], [MIN_STATIONS_PER_DISTRICT] * len(sds))
        primary = max(range(len(sds)), key=lambda i: (counts[i], -i))
        spread = min(max(math.sqrt(s.area / len(sds)) / 111 * 0.35, 0.01), 0.25)
        all_urban_state = URBAN_SHARE.get(s.code) == 1.0
        for i, (d, n) in enumerate(zip(sds, counts, strict=True)):
            big = d.name in BIG_CITY_DISTRICTS
            names = _NameMaker(family, rng)
            plan: list[tuple[str, str, str]] = []  # name, ps_type, is_urban
            main = d.hq if s.code == "31" else MAIN_PS[family].format(hq=d.hq, district=d.name)
            plan.append((names.take(main), "GENERAL", "Y"))
            if i == primary or n >= 5:
                plan.append((names.take(MAHILA_PS[family].format(hq=d.hq, district=d.name)), "MAHILA", "Y"))
            if i == primary or n >= 10:
                plan.append((names.take(f"Cyber Crime PS {d.name}"), "CYBER", "Y"))
            if big and n >= 20:
                plan.append((names.take(f"Traffic PS {d.hq}"), "TRAFFIC", "Y"))
            if n >= 14 and (big or rng.random() < 0.5):
                plan.append((names.take(f"GRP {d.hq}"), "GRP", "Y"))
            _check(len(plan) <= n, f"too few stations for the fixed ones in {d.name}")
            remaining = n - len(plan)
            if s.code == "31":
                islands = [name for name, _, _ in LAKSHADWEEP_STATIONS if name != d.hq]
                plan += [(names.take(islands[j % len(islands)]), "GENERAL", "N") for j in range(remaining)]
            else:
                if all_urban_state or d.name in ALL_URBAN_DISTRICTS:
                    share = 1.0
                elif big:
                    share = 0.75
                else:
                    share = URBAN_SHARE.get(s.code, DEFAULT_URBAN_SHARE)
                n_urban = round(remaining * share)
                pool = list(URBAN_LOCALITIES[family])
                pool = [pool[j] for j in rng.permutation(len(pool))]
                plan += [(names.urban(pool, d.hq), "GENERAL", "Y") for _ in range(n_urban)]
                plan += [(names.rural(), "GENERAL", "N") for _ in range(remaining - n_urban)]
            island_xy = {name: (lat, lon) for name, lat, lon in LAKSHADWEEP_STATIONS}
            for j, (name, ps_type, urban) in enumerate(plan, start=1):
                if s.code == "31" and name in island_xy:
                    lat, lon = island_xy[name]
                else:
                    sd = spread * (0.6 if all_urban_state else 0.25) if urban == "Y" else spread
                    if s.code == "31":
                        sd = 0.004
                    lat = d.lat + rng.normal(0.0, sd)
                    lon = d.lon + rng.normal(0.0, sd)
                lat_min, lat_max, lon_min, lon_max = state_by_code[s.code].bbox
                lat = min(max(lat, lat_min + 1e-4), lat_max - 1e-4)
                lon = min(max(lon, lon_min + 1e-4), lon_max - 1e-4)
                rows.append(
                    {
                        "state_code": s.code,
                        "district_code": d.code,
                        "ps_code": f"{d.index:02d}{j:03d}",
                        "ps_name": name,
                        "ps_type": ps_type,
                        "is_urban": urban,
                        "lat": f"{lat:.6f}",
                        "lon": f"{lon:.6f}",
                    }
                )
    return rows


def act_rows() -> list[Row]:
    return [
        {"act": a, "act_name": n, "law_type": t, "valid_from": vf, "valid_to": vt, "note": note}
        for a, n, t, vf, vt, note in ACTS
    ]


def _tiebreak(head: str) -> int:
    return 99 - SEVERITY_TIEBREAK_ORDER.index(head)


def severity_rank(max_years: float, head: str) -> int:
    """Whole months of the maximum punishment * 100 + the head's tie-break (0..99).

    Death = 99 years, life = 80 years, fine only or "as for the principal offence" = 0, so the
    order is: death > life > longer terms > shorter terms > fine; equal maxima are ordered by
    SEVERITY_TIEBREAK_ORDER (murder first).
    """
    return round(max_years * 12) * 100 + _tiebreak(head)


def crime_head_rows() -> list[Row]:
    return [
        {
            "crime_head_code": h.code,
            "crime_head_name": h.name,
            "ncrb_category": h.category,
            "law_type": h.law_type,
            "is_crime_against_women": h.women,
            "is_crime_against_children": h.children,
            "display_order": i,
            "ipc_era_head": h.ipc_era_head,
            "severity_tiebreak": _tiebreak(h.code),
            "note": h.note,
        }
        for i, h in enumerate(CRIME_HEADS, start=1)
    ]


def _years_text(years: float | None) -> str:
    return "" if years is None else f"{years:.4f}".rstrip("0").rstrip(".")


def section_rows(punishments: dict[tuple[str, str], Punishment] | None = None) -> list[Row]:
    acts = {a[0]: a for a in ACTS}
    pun = load_punishments() if punishments is None else punishments
    keys = [(s.act, s.section) for s in SECTIONS]
    _check(set(keys) == set(pun), f"{PUNISHMENT_CSV.name} rows = SECTIONS: {set(keys) ^ set(pun)}")
    rows = []
    for s in SECTIONS:
        p = pun[(s.act, s.section)]
        rows.append(
            {
                "act": s.act,
                "section": s.section,
                "section_title": s.title,
                "crime_head_code": s.head,
                "max_punishment": p.max_punishment,
                "max_years": _years_text(p.max_years),
                "max_punishment_years": _years_text(p.rank_years),
                "severity_rank": severity_rank(p.rank_years, s.head),
                "is_addon": p.addon,
                "punishment_verified": p.verified,
                "punishment_source": p.source,
                "punishment_note": p.note,
                "gen_weight": f"{s.gen_weight:g}",
                "valid_from": s.valid_from or acts[s.act][3],
                "valid_to": s.valid_to or acts[s.act][4],
                "note": s.note,
            }
        )
    return rows


def crosswalk_rows() -> list[Row]:
    rows = []
    for ipc, bns in DOMAIN_CROSSWALK:
        relation, note = DOMAIN_CROSSWALK_NOTES.get((ipc, bns), ("EQUIVALENT", ""))
        rows.append(
            {
                "ipc_section": ipc,
                "bns_section": bns,
                "relation": relation,
                "source": "DOMAIN_MD",
                "note": note,
            }
        )
    for ipc, bns, relation, note in EXTRA_CROSSWALK:
        rows.append(
            {
                "ipc_section": ipc,
                "bns_section": bns,
                "relation": relation,
                "source": "MHA_TABLE_UNVERIFIED",
                "note": note,
            }
        )
    return rows


def itsso_rows() -> list[Row]:
    return [
        {
            "act": a,
            "section": s,
            "law_era": era,
            "deadline_rule": rule,
            "deadline_days": ITSSO_DEADLINE_DAYS,
            "applies_from": since,
        }
        for a, s, era, rule, since in ITSSO
    ]


def ndso_rows() -> list[Row]:
    return [{"act": a, "section": s, "offence_group": g, "law_era": era} for a, s, g, era in NDSO]


def mo_rows() -> list[Row]:
    return [{"field": f, "code": c, "label": label, "mo_group": g} for f, c, label, g in MO_VOCABULARY]


def crime_head_param_rows() -> list[Row]:
    law_type = {h.code: h.law_type for h in CRIME_HEADS}
    fixed_ipc = sum(p[0] for c, p in CRIME_HEAD_PARAMS.items() if law_type[c] == "IPC_BNS" and p[0] >= 0)
    fixed_sll = sum(p[0] for c, p in CRIME_HEAD_PARAMS.items() if law_type[c] == "SLL" and p[0] >= 0)
    remainder = {"OTHER_IPC_BNS": round(IPC_SHARE - fixed_ipc, 6), "OTHER_SLL": 0.0}
    remainder["OTHER_SLL"] = round(1.0 - fixed_ipc - fixed_sll - remainder["OTHER_IPC_BNS"], 6)
    rows = []
    for h in CRIME_HEADS:
        (share, victim, prop, mo_group, acc, unknown, arrest, inv_days, cs, conv, trial_days, amp, peak) = (
            CRIME_HEAD_PARAMS[h.code]
        )
        share = remainder[h.code] if share == REMAINDER else share
        rows.append(
            {
                "crime_head_code": h.code,
                "national_share": f"{share:.6f}",
                "victim_profile": victim,
                "property_profile": prop,
                "mo_group": mo_group,
                "accused_mean": f"{acc:.2f}",
                "unknown_accused_prob": f"{unknown:.2f}",
                "arrest_prob": f"{arrest:.2f}",
                "median_investigation_days": inv_days,
                "chargesheet_prob": f"{cs:.2f}",
                "conviction_prob": f"{conv:.2f}",
                "median_trial_days": trial_days,
                "seasonal_amplitude": f"{amp:.2f}",
                "peak_month": peak,
            }
        )
    return rows


# =============================================================================================
# Validation and output
# =============================================================================================


def validate(tables: dict[str, list[Row]]) -> None:
    """Cross-table consistency; raises ValueError on the first problem."""
    states = tables["ref_states"]
    codes = [r["state_code"] for r in states]
    _check(len(codes) == 36 and len(set(codes)) == 36, "36 distinct States/UTs")
    _check(sum(s.pop2011 for s in STATES) == INDIA_CENSUS_2011, "Census 2011 total")
    _check(sum(s.female2011 for s in STATES) == INDIA_CENSUS_2011_FEMALE, "Census 2011 female total")
    heads = {r["crime_head_code"] for r in tables["ref_crime_heads"]}
    _check(
        set(SEVERITY_TIEBREAK_ORDER) == heads and len(SEVERITY_TIEBREAK_ORDER) == len(heads),
        "tie-break order",
    )
    _check(set(CRIME_HEAD_PARAMS) == heads, "calibration rows = crime heads")
    acts = {r["act"] for r in tables["ref_acts"]}
    keys = [(r["act"], r["section"]) for r in tables["ref_sections"]]
    _check(len(keys) == len(set(keys)), "unique (act, section)")
    section_keys = set(keys)
    for r in tables["ref_sections"]:
        _check(r["act"] in acts and r["crime_head_code"] in heads, f"section {r['act']} {r['section']}")
    for r in tables["ref_crosswalk"]:
        _check(("IPC", r["ipc_section"]) in section_keys, f"crosswalk IPC {r['ipc_section']}")
        _check(
            not r["bns_section"] or ("BNS", r["bns_section"]) in section_keys,
            f"crosswalk BNS {r['bns_section']}",
        )
    for name in ("ref_itsso_sections", "ref_ndso_sections"):
        for r in tables[name]:
            _check((r["act"], r["section"]) in section_keys, f"{name} {r['act']} {r['section']}")
    bns_only = {"MOB_LYNCHING", "ORGANISED_CRIME", "TERRORIST_ACT", "DECEITFUL_SEXUAL_INTERCOURSE"}
    for h in CRIME_HEADS:
        acts_with_weight = {s.act for s in SECTIONS if s.head == h.code and s.gen_weight > 0}
        if h.law_type == "IPC_BNS":
            expected = {"BNS"} if h.code in bns_only else {"IPC", "BNS"}
            _check(acts_with_weight == expected, f"generator sections of {h.code}: {acts_with_weight}")
        else:
            _check(len(acts_with_weight) == 1, f"generator sections of {h.code}")
    stations = tables["ref_police_stations"]
    _check(len(stations) == TOTAL_POLICE_STATIONS, "17,074 police stations")
    ps_keys = [(r["state_code"], r["ps_code"]) for r in stations]
    _check(len(set(ps_keys)) == len(ps_keys), "ps_code unique within State")
    for code in codes:
        types = {r["ps_type"] for r in stations if r["state_code"] == code}
        _check({"MAHILA", "CYBER"} <= types, f"MAHILA and CYBER stations in {code}")
    mo_groups = {r["mo_group"] for r in tables["ref_mo_vocabulary"]}
    for r in tables["crime_head_params"]:
        _check(
            r["mo_group"] in mo_groups and r["mo_group"] in MO_GROUPS, f"mo_group of {r['crime_head_code']}"
        )
        _check(
            r["victim_profile"] in VICTIM_PROFILES and r["property_profile"] in PROPERTY_PROFILES,
            f"profiles of {r['crime_head_code']}",
        )
    total_share = sum(float(r["national_share"]) for r in tables["crime_head_params"])
    _check(abs(total_share - 1.0) < 1e-9, f"national_share sums to {total_share}")


def render_csv(rows: Sequence[Row]) -> str:
    """CSV text of ``rows``: header from the first row's keys, RFC 4180 quoting, ``\n`` line ends."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def output_path(name: str) -> Path:
    """Where table ``name`` is written: the calibration folder or the dbt seeds."""
    return (CALIBRATION_DIR if name == "crime_head_params" else SEEDS_DIR) / f"{name}.csv"


def write_csv(path: Path, rows: Sequence[Row]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(render_csv(rows).encode("utf-8"))


def build() -> tuple[dict[str, list[Row]], float]:
    """All tables, keyed by file stem, and the damping factor k."""
    rng = np.random.default_rng(RNG_SEED)
    k = solve_damping_factor()
    ds = districts()
    tables: dict[str, list[Row]] = {
        "ref_states": state_rows(),
        "ref_state_population": population_rows(k),
        "ref_districts": district_rows(ds),
        "ref_police_stations": police_station_rows(ds, rng),
        "ref_acts": act_rows(),
        "ref_crime_heads": crime_head_rows(),
        "ref_sections": section_rows(),
        "ref_ipc_bns_crosswalk": crosswalk_rows(),
        "ref_itsso_sections": itsso_rows(),
        "ref_ndso_sections": ndso_rows(),
        "ref_mo_vocabulary": mo_rows(),
        "crime_head_params": crime_head_param_rows(),
    }
    tables["ref_crosswalk"] = tables["ref_ipc_bns_crosswalk"]
    validate(tables)
    del tables["ref_crosswalk"]
    return tables, k


def calibration_summary(params: Sequence[Row]) -> dict[str, float]:
    """National rates implied by the calibration table (registrations ~ disposals ~ trials)."""
    law_type = {h.code: h.law_type for h in CRIME_HEADS}
    out: dict[str, float] = {}
    for lt in ("IPC_BNS", "SLL"):
        rows = [r for r in params if law_type[r["crime_head_code"]] == lt]
        share = sum(float(r["national_share"]) for r in rows)
        cs = sum(float(r["national_share"]) * float(r["chargesheet_prob"]) for r in rows)
        conv = sum(
            float(r["national_share"]) * float(r["chargesheet_prob"]) * float(r["conviction_prob"])
            for r in rows
        )
        out[f"{lt}_share"] = share
        out[f"{lt}_chargesheet_rate"] = cs / share
        out[f"{lt}_conviction_rate"] = conv / cs
    return out


def main() -> None:
    tables, k = build()
    for name, rows in tables.items():
        write_csv(output_path(name), rows)
        print(f"{name:28s} {len(rows):6d} rows -> {output_path(name).relative_to(REPO_ROOT)}")
    pop_2022 = sum(r["population"] for r in tables["ref_state_population"] if r["year"] == 2022)
    print(
        f"damping factor k = {k:.6f}; India 1 Jul 2022 = {pop_2022:,} "
        f"(NCRB-implied {NCRB_2022_CASES / NCRB_2022_RATE * 1e5:,.0f})"
    )
    weighted = sum(s.crime_rate_index * projected(s, k, date(2022, 7, 1)) for s in STATES) / sum(
        projected(s, k, date(2022, 7, 1)) for s in STATES
    )
    print(f"population-weighted crime_rate_index = {weighted:.3f}")
    for key, value in calibration_summary(tables["crime_head_params"]).items():
        print(f"{key:28s} {value:.3f}")


if __name__ == "__main__":
    main()
