"""The demo's data tables: who works where, the labour and parts catalogues, names, vehicles, stories.

Only data lives here; ``demo/<department>.py`` turns it into rows through each app's services.
"""

from decimal import Decimal

from org.models import Position

DEMO_PASSWORD = "demo-pass-2026"
# How far back the demo's history reaches (orders, KPI facts); tests shorten it.
DAYS = 183
# Orders a day, (fewest, most) on a weekday and on a weekend. The last month is as busy as a real station (its
# follow-up calls, its board); the months before are thinner: every order is played through the services, step by
# step, which costs about a fifth of a second of CPU per order, and the KPI trends need the months, not the volume.
RECENT_DAYS = 35
ORDERS_RECENT = {"weekday": (4, 8), "weekend": (1, 5)}
ORDERS_HISTORY = {"weekday": (1, 3), "weekend": (0, 2)}

# --- organisation ------------------------------------------------------------------------------------------------
GROUP = {"code": "dongfang", "name": "东方汽车服务集团", "name_en": "Dongfang Auto Service Group"}
REGION = "华东区"
STATIONS = [
    {"code": "sh-pudong", "name": "上海东方丰田浦东4S店", "name_en": "Dongfang Toyota Pudong",
     "address": "上海市浦东新区龙阳路1888号", "address_en": "1888 Longyang Road, Pudong, Shanghai",
     "phone": "021-5888 6666", "email": "service.pd@dongfang-auto.example", "tax_id": "91310115MA1K3XXXXA"},
    {"code": "hz-xihu", "name": "杭州东方丰田西湖4S店", "name_en": "Dongfang Toyota Xihu",
     "address": "杭州市西湖区文三路666号", "address_en": "666 Wensan Road, Xihu, Hangzhou",
     "phone": "0571-8888 2222", "email": "service.xh@dongfang-auto.example", "tax_id": "91330106MA2H7XXXXB"},
]
# (login, display name, position, region-wide)
GROUP_STAFF = [("director", "沈国华", Position.GROUP_DIRECTOR, False),
               ("regional", "陆文涛", Position.REGIONAL_MANAGER, True)]
P = Position
# (login suffix, position, display name, reports-to login suffix)
HIERARCHY = [
    ("manager", P.STATION_MANAGER, "王建国", None),
    ("frontlead", P.FRONT_DESK_LEAD, "李静", "manager"),
    ("advisor", P.SERVICE_ADVISOR, "张伟", "frontlead"),
    ("advisor2", P.SERVICE_ADVISOR, "刘洋", "frontlead"),
    ("reception", P.RECEPTIONIST, "陈晓燕", "frontlead"),
    ("warranty", P.WARRANTY_CLERK, "赵敏", "frontlead"),
    ("dispatcher", P.WORKSHOP_LEAD, "孙志强", "manager"),
    ("tech1", P.TECHNICIAN, "周海", "dispatcher"),
    ("tech2", P.TECHNICIAN, "吴磊", "dispatcher"),
    ("tech3", P.TECHNICIAN, "郑浩", "dispatcher"),
    ("qc", P.QC_INSPECTOR, "冯刚", "dispatcher"),
    ("techlead", P.TECHNICAL_LEAD, "何明", "manager"),
    ("partslead", P.PARTS_LEAD, "杨帆", "manager"),
    ("parts", P.PARTS_CLERK, "黄丽", "partslead"),
    ("cashier", P.CASHIER, "林芳", "manager"),
    ("care", P.CUSTOMER_RELATIONS, "徐婷", "manager"),
    ("info", P.INFORMATION_SPECIALIST, "马丽娜", "manager"),
]
STATION2_NAMES = {
    "manager": "钱振华", "frontlead": "高雅", "advisor": "罗斌", "advisor2": "谢婷", "reception": "韩雪",
    "warranty": "唐杰", "dispatcher": "冯建军", "tech1": "邓超", "tech2": "曹阳", "tech3": "彭飞", "qc": "曾强",
    "techlead": "萧峰", "partslead": "田野", "parts": "董芳", "cashier": "袁莉", "care": "潘悦", "info": "蒋琳",
}

# --- front desk ----------------------------------------------------------------------------------------------------

# (code, Chinese, English, category, standard hours). Sided variants are expanded in demo/reception.py.
# Offered on the online booking page (/book/<station code>/).
BOOKABLE = ["MT001", "MT003", "MT005", "MT006", "MT012"]
OPERATIONS = [
    ("MT001", "更换机油机滤", "Engine oil and oil filter change", "保养", "0.5"),
    ("MT002", "更换空气滤芯", "Air filter replacement", "保养", "0.2"),
    ("MT003", "更换空调滤芯", "Cabin air filter replacement", "保养", "0.3"),
    ("MT004", "更换汽油滤清器", "Fuel filter replacement", "保养", "0.6"),
    ("MT005", "更换火花塞", "Spark plugs replacement", "保养", "0.8"),
    ("MT006", "更换制动液", "Brake fluid replacement", "保养", "0.8"),
    ("MT007", "更换冷却液", "Coolant replacement", "保养", "0.8"),
    ("MT008", "更换自动变速箱油", "Automatic transmission fluid change", "保养", "1.0"),
    ("MT009", "更换手动变速箱油", "Manual gearbox oil change", "保养", "0.6"),
    ("MT010", "更换正时皮带", "Timing belt replacement", "保养", "3.0"),
    ("MT011", "更换发电机皮带", "Drive belt replacement", "保养", "0.6"),
    ("MT012", "更换雨刮片", "Wiper blades replacement", "保养", "0.1"),
    ("MT013", "首次保养（5000公里）", "First service (5,000 km)", "保养", "1.0"),
    ("MT014", "常规保养（10000公里）", "Regular service (10,000 km)", "保养", "1.2"),
    ("MT015", "大保养（40000公里）", "Major service (40,000 km)", "保养", "2.5"),
    ("MT016", "节气门清洗", "Throttle body cleaning", "保养", "0.6"),
    ("MT017", "喷油嘴清洗", "Fuel injector cleaning", "保养", "1.0"),
    ("MT018", "发动机舱清洗", "Engine bay cleaning", "保养", "0.5"),
    ("MT019", "空调系统清洗消毒", "Air-conditioning disinfection", "保养", "0.6"),
    ("MT020", "更换蓄电池", "Battery replacement", "电器", "0.3"),
    ("BR001", "更换前刹车片", "Front brake pads replacement", "制动", "1.0"),
    ("BR002", "更换后刹车片", "Rear brake pads replacement", "制动", "1.0"),
    ("BR003", "更换前刹车盘", "Front brake discs replacement", "制动", "1.5"),
    ("BR004", "更换后刹车盘", "Rear brake discs replacement", "制动", "1.5"),
    ("BR005", "光刹车盘", "Brake disc skimming", "制动", "1.2"),
    ("BR006", "更换手刹拉线", "Handbrake cable replacement", "制动", "1.5"),
    ("BR007", "制动系统排空气", "Brake system bleeding", "制动", "0.8"),
    ("BR008", "更换ABS传感器", "ABS sensor replacement", "制动", "0.8"),
    ("BR009", "更换制动总泵", "Brake master cylinder replacement", "制动", "2.0"),
    ("BR010", "检查制动系统异响", "Brake noise diagnosis", "制动", "0.5"),
    ("SU001", "四轮定位", "Four-wheel alignment", "底盘", "1.0"),
    ("SU002", "轮胎动平衡", "Wheel balancing (four wheels)", "底盘", "0.6"),
    ("SU003", "轮胎换位", "Tyre rotation", "底盘", "0.4"),
    ("SU004", "更换轮胎", "Tyre replacement (each)", "底盘", "0.3"),
    ("SU005", "补胎", "Tyre puncture repair", "底盘", "0.4"),
    ("SU006", "更换前减震器", "Front shock absorbers replacement", "底盘", "2.5"),
    ("SU007", "更换后减震器", "Rear shock absorbers replacement", "底盘", "2.0"),
    ("SU008", "更换前下摆臂", "Front lower control arm replacement", "底盘", "1.5"),
    ("SU009", "更换稳定杆连杆", "Stabiliser link replacement", "底盘", "0.8"),
    ("SU010", "更换转向拉杆球头", "Tie-rod end replacement", "底盘", "1.0"),
    ("SU011", "更换前轮轴承", "Front wheel bearing replacement", "底盘", "1.8"),
    ("SU012", "更换后轮轴承", "Rear wheel bearing replacement", "底盘", "1.5"),
    ("SU013", "更换半轴防尘套", "CV boot replacement", "底盘", "1.5"),
    ("SU014", "底盘异响检查", "Chassis noise diagnosis", "底盘", "0.8"),
    ("EN001", "发动机故障诊断", "Engine fault diagnosis", "发动机", "1.0"),
    ("EN002", "更换点火线圈", "Ignition coil replacement", "发动机", "0.5"),
    ("EN003", "更换气门室盖垫", "Valve cover gasket replacement", "发动机", "1.5"),
    ("EN004", "更换水泵", "Water pump replacement", "发动机", "2.5"),
    ("EN005", "更换节温器", "Thermostat replacement", "发动机", "1.2"),
    ("EN006", "更换散热器", "Radiator replacement", "发动机", "2.0"),
    ("EN007", "更换发动机支架", "Engine mount replacement", "发动机", "1.5"),
    ("EN008", "更换氧传感器", "Oxygen sensor replacement", "发动机", "0.6"),
    ("EN009", "更换三元催化器", "Catalytic converter replacement", "发动机", "2.0"),
    ("EN010", "清除积碳", "Carbon deposit cleaning", "发动机", "2.5"),
    ("EN011", "更换曲轴油封", "Crankshaft seal replacement", "发动机", "3.5"),
    ("EN012", "更换油底壳垫", "Oil pan gasket replacement", "发动机", "2.0"),
    ("EN013", "发动机漏油检查", "Engine oil leak diagnosis", "发动机", "0.8"),
    ("EN014", "更换涡轮增压器", "Turbocharger replacement", "发动机", "5.0"),
    ("EN015", "发动机大修", "Engine overhaul", "发动机", "18.0"),
    ("TR001", "变速箱故障诊断", "Transmission fault diagnosis", "变速箱", "1.0"),
    ("TR002", "更换离合器片", "Clutch disc replacement", "变速箱", "5.0"),
    ("TR003", "更换离合器分泵", "Clutch slave cylinder replacement", "变速箱", "1.5"),
    ("TR004", "变速箱软件升级", "Transmission software update", "变速箱", "0.8"),
    ("TR005", "更换变速箱油封", "Transmission seal replacement", "变速箱", "2.5"),
    ("EL001", "电器故障诊断", "Electrical fault diagnosis", "电器", "1.0"),
    ("EL002", "更换发电机", "Alternator replacement", "电器", "1.8"),
    ("EL003", "更换起动机", "Starter motor replacement", "电器", "1.5"),
    ("EL004", "更换大灯总成", "Headlamp assembly replacement", "电器", "1.0"),
    ("EL005", "更换尾灯总成", "Tail lamp assembly replacement", "电器", "0.6"),
    ("EL006", "更换大灯灯泡", "Headlamp bulb replacement", "电器", "0.3"),
    ("EL007", "大灯光束调整", "Headlamp aim adjustment", "电器", "0.4"),
    ("EL008", "更换玻璃升降器", "Window regulator replacement", "电器", "1.2"),
    ("EL009", "更换中控锁电机", "Door lock actuator replacement", "电器", "1.0"),
    ("EL010", "更换倒车雷达探头", "Parking sensor replacement", "电器", "0.8"),
    ("EL011", "更换倒车影像摄像头", "Reversing camera replacement", "电器", "1.0"),
    ("EL012", "车载娱乐系统升级", "Infotainment software update", "电器", "0.8"),
    ("EL013", "更换喇叭", "Horn replacement", "电器", "0.4"),
    ("EL014", "更换遥控钥匙电池", "Key fob battery replacement", "电器", "0.1"),
    ("EL015", "匹配遥控钥匙", "Key programming", "电器", "0.8"),
    ("EL016", "更换组合开关", "Combination switch replacement", "电器", "1.0"),
    ("EL017", "安全气囊故障诊断", "Airbag fault diagnosis", "电器", "1.0"),
    ("EL018", "更换安全气囊", "Airbag replacement", "电器", "1.5"),
    ("AC001", "空调系统检查", "Air-conditioning check", "空调", "0.5"),
    ("AC002", "空调加注冷媒", "Refrigerant recharge", "空调", "0.8"),
    ("AC003", "更换空调压缩机", "A/C compressor replacement", "空调", "3.0"),
    ("AC004", "更换空调冷凝器", "A/C condenser replacement", "空调", "2.0"),
    ("AC005", "更换鼓风机", "Blower motor replacement", "空调", "1.0"),
    ("AC006", "更换蒸发箱", "Evaporator replacement", "空调", "6.0"),
    ("AC007", "空调管路检漏", "A/C leak test", "空调", "0.8"),
    ("BD001", "前保险杠喷漆", "Front bumper paint", "钣喷", "4.0"),
    ("BD002", "后保险杠喷漆", "Rear bumper paint", "钣喷", "4.0"),
    ("BD003", "前翼子板钣金喷漆", "Front wing panel repair and paint", "钣喷", "5.0"),
    ("BD004", "车门钣金喷漆", "Door panel repair and paint", "钣喷", "5.0"),
    ("BD005", "发动机盖喷漆", "Bonnet paint", "钣喷", "5.5"),
    ("BD006", "后备箱盖喷漆", "Boot lid paint", "钣喷", "5.0"),
    ("BD007", "车顶喷漆", "Roof paint", "钣喷", "6.0"),
    ("BD008", "更换前挡风玻璃", "Windscreen replacement", "钣喷", "2.0"),
    ("BD009", "更换后视镜", "Door mirror replacement", "钣喷", "0.6"),
    ("BD010", "漆面抛光", "Paint polishing", "钣喷", "2.0"),
    ("BD011", "局部补漆", "Paint touch-up", "钣喷", "1.5"),
    ("BD012", "凹陷修复（免喷漆）", "Paintless dent repair", "钣喷", "1.5"),
    ("BD013", "更换前保险杠", "Front bumper replacement", "钣喷", "1.5"),
    ("BD014", "更换后保险杠", "Rear bumper replacement", "钣喷", "1.5"),
    ("BD015", "事故车定损检查", "Accident damage assessment", "钣喷", "1.0"),
    ("IN001", "更换座椅套", "Seat cover replacement", "内饰", "1.0"),
    ("IN002", "内饰清洗", "Interior cleaning", "内饰", "2.0"),
    ("IN003", "更换地毯", "Carpet replacement", "内饰", "3.0"),
    ("IN004", "更换顶棚", "Headliner replacement", "内饰", "4.0"),
    ("IN005", "异响排查（内饰）", "Interior rattle diagnosis", "内饰", "1.0"),
    ("EV001", "动力电池检测", "High-voltage battery check", "新能源", "1.0"),
    ("EV002", "更换充电口总成", "Charging port replacement", "新能源", "1.5"),
    ("EV003", "电机控制器软件升级", "Motor controller software update", "新能源", "1.0"),
    ("EV004", "高压系统绝缘检测", "High-voltage insulation test", "新能源", "0.8"),
    ("EV005", "更换车载充电机", "On-board charger replacement", "新能源", "2.0"),
    ("EV006", "更换减速器油", "Reduction gear oil change", "新能源", "0.6"),
    ("EV007", "电池冷却液更换", "Battery coolant replacement", "新能源", "1.2"),
    ("GN001", "路试", "Road test", "检查", "0.3"),
    ("GN002", "全车检查", "Full vehicle inspection", "检查", "1.0"),
    ("GN003", "年检前检查", "Pre-MOT inspection", "检查", "0.8"),
    ("GN004", "召回：更换燃油泵", "Recall: fuel pump replacement", "召回", "1.5"),
    ("GN005", "召回：气囊模块更换", "Recall: airbag module replacement", "召回", "1.2"),
    ("GN006", "洗车", "Car wash", "美容", "0.3"),
    ("GN007", "打蜡", "Waxing", "美容", "1.0"),
    ("GN008", "镀晶", "Ceramic coating", "美容", "3.0"),
    ("GN009", "安装行车记录仪", "Dashcam installation", "加装", "1.0"),
    ("GN010", "贴膜", "Window tinting", "加装", "2.5"),
]

# Operations that exist for each side: expanded to 左/右 (left/right) variants.
SIDED = [
    ("SD01", "更换{side}前大灯", "Replace {side_en} headlamp", "电器", "1.0"),
    ("SD02", "更换{side}尾灯", "Replace {side_en} tail lamp", "电器", "0.6"),
    ("SD03", "更换{side}前门玻璃", "Replace {side_en} front door glass", "钣喷", "1.5"),
    ("SD04", "{side}前门钣金喷漆", "Repair and paint {side_en} front door", "钣喷", "5.0"),
    ("SD05", "{side}后门钣金喷漆", "Repair and paint {side_en} rear door", "钣喷", "5.0"),
    ("SD06", "更换{side}后视镜片", "Replace {side_en} mirror glass", "钣喷", "0.4"),
    ("SD07", "更换{side}前减震器", "Replace {side_en} front shock absorber", "底盘", "1.3"),
    ("SD08", "更换{side}前轮轴承", "Replace {side_en} front wheel bearing", "底盘", "1.0"),
    ("SD09", "更换{side}前下摆臂", "Replace {side_en} front lower arm", "底盘", "0.9"),
    ("SD10", "更换{side}外球笼", "Replace {side_en} outer CV joint", "底盘", "1.5"),
    ("SD11", "更换{side}前雾灯", "Replace {side_en} fog lamp", "电器", "0.5"),
    ("SD12", "更换{side}侧裙边", "Replace {side_en} side skirt", "钣喷", "1.2"),
    ("SD13", "{side}后翼子板钣金喷漆", "Repair and paint {side_en} rear quarter panel", "钣喷", "6.0"),
    ("SD14", "更换{side}前门锁", "Replace {side_en} front door lock", "电器", "1.0"),
]
SIDES = [("L", "左", "left"), ("R", "右", "right")]

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = ["伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超",
         "秀兰", "霞", "平", "刚", "桂英", "建华", "志强", "晓东", "海燕", "文杰", "思远", "雨涵", "子轩", "欣怡", "浩然",
         "梓涵", "一鸣", "嘉怡", "俊杰", "佳琪", "宇航", "婷婷"]
FLEETS = ["顺丰速运上海分公司", "上海强生出租汽车有限公司", "浦东新区机关车队", "上海申通物流有限公司",
          "东方国际集团车队", "上海大众汽车租赁有限公司", "华东医院后勤车队", "上海城投公路集团", "光明乳业物流车队",
          "中国移动上海分公司车队", "杭州出租汽车集团", "浙江省邮政车队"]
CONTACT_ROLES = ["车队长", "行政主管", "采购经理", "车辆管理员"]

# Both stations are Toyota 4S stores, and a 4S store services its own brand (other makes go to their own dealers):
# the Toyota makes in China, (WMI, make, models). 一汽丰田 and 广汽丰田 are the two joint ventures; a Toyota store
# services the cars of both, mostly those of its own network.
MAKES = [
    ("LFM", "一汽丰田", ["卡罗拉", "卡罗拉双擎", "亚洲龙", "RAV4荣放", "皇冠陆放", "普拉多", "奕泽", "bZ3"]),
    ("LVG", "广汽丰田", ["凯美瑞", "凯美瑞双擎", "汉兰达", "雷凌", "致炫", "威兰达", "赛那", "bZ4X"]),
]
# Which network each station belongs to (its share of the cars; the rest are of the other joint venture).
STATION_MAKE = {"sh-pudong": ("一汽丰田", 0.85), "hz-xihu": ("广汽丰田", 0.85)}
# Battery-electric models carry the green new-energy plate (hybrids 双擎 do not).
EV_MODELS = {"bZ3", "bZ4X"}
COLOURS = ["白色", "黑色", "银色", "灰色", "蓝色", "红色", "珍珠白", "棕色"]
VIN_ALPHABET = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"
YEAR_CODES = {2016: "G", 2017: "H", 2018: "J", 2019: "K", 2020: "L", 2021: "M", 2022: "N", 2023: "P", 2024: "R",
              2025: "S", 2026: "T"}
CONCERNS = [
    "仪表盘保养灯亮了，做常规保养", "刹车时前轮有吱吱的响声", "空调不凉，吹出来是热风", "发动机故障灯亮",
    "过减速带时底盘咯噔响", "方向盘跑偏，往右拉", "冷车启动困难", "车门关不严，有风噪", "右前门被刮了一道",
    "加速无力，油耗变高", "雨刮刮不干净", "倒车影像黑屏", "钥匙遥控失灵", "高速时方向盘抖动", "轮胎被扎了",
    "车里有股霉味", "胎压报警灯亮", "换挡有顿挫感", "后备箱打不开", "车窗升降有异响",
]
WALK_PHOTOS = ["左前45°", "右后45°", "仪表盘里程及故障灯", "左侧车身", "右侧车身", "轮胎及轮毂"]
CUSTOMERS = 300
VEHICLES = 400
RATES = {"customer": Decimal("300"), "warranty": Decimal("180"), "insurance": Decimal("280"), "internal": Decimal("120")}

# --- parts ---------------------------------------------------------------------------------------------------------
# (part number prefix, 中文名, English name, unit, list price range in yuan, weekly demand, genuine)
PART_TYPES = [
    ("04152", "机油滤清器", "Oil filter", "个", (45, 95), 6.0, True),
    ("04465", "前刹车片", "Front brake pads", "套", (380, 780), 1.5, True),
    ("04466", "后刹车片", "Rear brake pads", "套", (320, 650), 1.0, True),
    ("17801", "空气滤芯", "Air filter", "个", (85, 180), 3.0, True),
    ("87139", "空调滤芯", "Cabin air filter", "个", (90, 210), 3.0, True),
    ("90919", "火花塞", "Spark plug", "个", (65, 160), 4.0, True),
    ("85212", "雨刮片(主驾)", "Wiper blade, driver", "个", (75, 150), 1.5, True),
    ("85222", "雨刮片(副驾)", "Wiper blade, passenger", "个", (70, 140), 1.5, True),
    ("43512", "前刹车盘", "Front brake disc", "个", (450, 980), 0.5, True),
    ("42431", "后刹车盘", "Rear brake disc", "个", (420, 880), 0.4, True),
    ("23300", "燃油滤清器", "Fuel filter", "个", (160, 420), 0.6, True),
    ("90430", "放油螺塞垫片", "Drain plug gasket", "个", (4, 12), 6.0, True),
    ("08880", "机油 0W-20 4L", "Engine oil 0W-20 4 L", "桶", (320, 420), 4.0, True),
    ("08886", "变速箱油 ATF WS", "ATF WS", "升", (90, 130), 1.0, True),
    ("08823", "刹车油 DOT4", "Brake fluid DOT4", "瓶", (65, 110), 1.2, True),
    ("08889", "长效冷却液", "Long-life coolant", "桶", (120, 220), 0.8, True),
    ("90916", "火花塞套件", "Spark plug set", "套", (260, 560), 0.3, True),
    ("16100", "水泵总成", "Water pump", "个", (680, 1500), 0.1, True),
    ("90916A", "正时皮带", "Timing belt", "条", (380, 820), 0.1, True),
    ("90916B", "发电机皮带", "Drive belt", "条", (180, 380), 0.4, True),
    ("28800", "蓄电池", "Battery", "个", (680, 1280), 0.5, True),
    ("81110", "前大灯总成", "Headlamp assembly", "个", (1800, 4800), 0.05, True),
    ("81130", "前雾灯", "Fog lamp", "个", (380, 860), 0.1, True),
    ("52119", "前保险杠", "Front bumper cover", "个", (1200, 2600), 0.1, True),
    ("87910", "外后视镜总成", "Outer mirror assembly", "个", (900, 2200), 0.05, True),
    ("48510", "前减震器", "Front shock absorber", "个", (620, 1300), 0.2, True),
    ("48530", "后减震器", "Rear shock absorber", "个", (520, 1100), 0.2, True),
    ("48068", "下摆臂", "Lower control arm", "个", (480, 980), 0.1, True),
    ("04495", "后刹车蹄片", "Rear brake shoes", "套", (280, 520), 0.3, True),
    ("88568", "空调压缩机皮带", "A/C belt", "条", (160, 320), 0.2, True),
    ("89465", "氧传感器", "Oxygen sensor", "个", (680, 1400), 0.1, True),
    ("22204", "空气流量计", "Mass air flow sensor", "个", (980, 1900), 0.05, True),
    ("90080", "轮胎气门嘴", "Tyre valve", "个", (12, 30), 2.0, True),
    ("SP-BP", "刹车片(副厂)", "Brake pads (aftermarket)", "套", (220, 420), 0.5, False),
    ("SP-WB", "雨刮片(副厂)", "Wiper blade (aftermarket)", "个", (35, 70), 0.8, False),
]
MODEL_CODES = ["YZZA1", "YZZA6", "0E010", "0E050", "33471", "33480", "21050", "01253", "0T010", "42060", "06120",
               "F4010", "0R010", "47060", "12280"]
PART_MODELS = ["卡罗拉", "凯美瑞", "RAV4荣放", "汉兰达", "雷凌", "威驰", "亚洲龙", "普拉多", "致炫"]
PARTS_PER_STATION = 300
# Parts the orders draw from: the everyday consumables and wear parts (the first variants of each type).
ORDER_PARTS = 60
SUPPLIERS = [("FTMS", "一汽丰田配件中心", 2), ("GTMC", "广汽丰田配件中心", 3), ("LOCAL", "本地配件供应商", 1)]
# The parts centre each station orders its genuine parts from (its joint venture's network).
STATION_SUPPLIER = {"sh-pudong": "FTMS", "hz-xihu": "GTMC"}
DAMAGED_NOTES = ["外包装破损，配件磕碰变形，随下批补发", "灯罩有裂纹，已拍照反馈配件中心补发", "包装受潮，配件锈蚀，要求补发"]
# Parts going back to the supplier: (kind, reason, part number prefixes to try, quantity, days until closed)
SUPPLIER_RETURNS = [
    ("exchange", "装车前检查发现配件不良，退回换货", ["48510", "89465", "81130"], 1),
    ("return", "呆滞件退回配件中心（厂家年度退货额度）", ["52119", "87910", "22204", "16100"], 1),
    ("repair", "蓄电池充电后仍不能保持电压，送厂家检测返修", ["28800"], 1),
    ("exchange", "到货后发现型号与订单不符，退回换货", ["04465", "04466", "43512"], 1),
]
RETURN_DAYS = {"exchange": 5, "return": 12, "repair": 14}
# Scrap asked for by the parts lead, approved by the station manager: (reason, prefixes, quantity)
SCRAPS = [
    ("搬运时跌落，灯罩破裂无法使用", ["81130", "81110"], 1),
    ("库房漏水，包装受潮配件锈蚀", ["43512", "42431", "04495"], 1),
    ("刹车油开封超过保质期", ["08823"], 2),
    ("雨刮片胶条老化开裂，无法销售", ["85212", "85222"], 2),
]
# (payer, basis, markup %)
PRICE_POLICIES = [("customer", "list", 0), ("warranty", "cost", 15), ("insurance", "list", 5), ("internal", "cost", 0)]
QUICK_CODE = "QUICK"
QUICK_NAME = "快修二级库"
# Part types the express bays use every day and how many go to the quick store.
QUICK_PARTS = [("04152", 6), ("08880", 4), ("90430", 10), ("87139", 3), ("17801", 3), ("85212", 2)]
LOST_SALES = 30
LOST_SALE_DAYS = 60
# Parts asked for at the counter and not on the shelf: a few come back again and again.
LOST_PREFIXES = ["81110", "52119", "87910", "22204", "89465", "16100", "48510", "04465", "28800", "43512"]
LOST_NOTES = ["客户等不及，去外面买了", "周末缺货，客户改约", "客户嫌等件时间长", "车型较老，厂家缺货", ""]
EMERGENCY_NOTES = ["保险车等件，紧急外采", "急修车辆，同城4S店调货", "事故车定损后急需", "客户在店等候，本地供应商送货"]

# --- workshop ------------------------------------------------------------------------------------------------------
BAYS = [("A1", "一号举升机", "lift"), ("A2", "二号举升机", "lift"), ("A3", "三号举升机", "lift"),
        ("A4", "四号举升机", "lift"), ("Q1", "快修工位", "quick"), ("D1", "四轮定位", "alignment"),
        ("W1", "洗车工位", "wash")]
# What technicians find under the car: (description, labour operation, part number prefix or "", quantity).
FINDINGS = [
    ("前刹车片剩余2毫米，已到磨损极限，建议更换", "BR001", "04465", 1),
    ("后刹车片剩余3毫米，建议本次一并更换", "BR002", "04466", 1),
    ("雨刮片胶条老化开裂，刮水有残留", "MT012", "85212", 1),
    ("空调滤芯积灰严重，有霉味", "MT003", "87139", 1),
    ("蓄电池检测健康度45%，冷启动电压偏低", "MT020", "28800", 1),
    ("发电机皮带表面龟裂", "MT011", "90916B", 1),
    ("火花塞电极烧蚀，间隙超标", "MT005", "90919", 4),
    ("刹车油含水量超过3%，建议更换", "BR007", "08823", 1),
    ("右后轮胎侧面鼓包，存在爆胎风险", "SU004", "", 1),
]
FINDING_YES = ["客户电话同意更换", "客户看过照片后同意", "客户同意，一并结算", ""]
FINDING_NO = ["客户表示下次保养时再做", "客户嫌贵，暂不更换", "客户已在外面买好配件，不在店里换"]
QC_FAIL = ["左前轮仍有异响", "机油液位偏高", "仪表故障灯未熄灭"]
PART_NOT_NEEDED = "配件缺货，客户同意暂不更换，下次进店再换"

# --- settlement ----------------------------------------------------------------------------------------------------
INSURERS = ["中国人保财险", "平安产险", "太平洋产险", "国寿财险", "大地保险"]
# (symptom code, cause code, the customer's words, the repair, what the technician found)
SYMPTOMS = [
    ("C12", "W03", "冷却液液位下降，车下有渗漏痕迹", "更换水泵总成及密封垫，加注冷却液，试车无渗漏",
     "水泵轴封处渗漏，叶轮轴向间隙超标"),
    ("E05", "S11", "发动机故障灯亮，怠速抖动", "更换第三缸点火线圈，清除故障码，路试正常",
     "读取故障码P0303，第三缸点火线圈次级绕组断路"),
    ("B02", "M07", "低速制动时前轮异响", "更换前制动卡钳导向销及防尘套，制动异响消除",
     "左前卡钳导向销锈蚀卡滞，制动片偏磨"),
    ("A09", "E02", "空调不制冷，出风口温度高", "更换空调压缩机电磁离合器，抽真空加注冷媒，出风温度6℃",
     "压缩机电磁离合器线圈电阻无穷大"),
    ("L03", "F01", "右前大灯内有水雾", "更换右前大灯总成，灯光调整合格", "大灯壳体焊缝开裂进水"),
    ("T04", "V02", "换挡时有顿挫感", "按厂家技术通报升级变速箱控制软件并做自适应学习", "变速箱控制单元软件版本过旧，符合技术通报范围"),
    ("D07", "K05", "驾驶侧车窗升降异响", "更换驾驶侧玻璃升降器总成", "升降器钢丝绳磨损散股"),
]
CLAIM_SUBMIT_NOTES = [
    "随本周二批次上报{network}索赔系统，附故障件照片及诊断报告",
    "随本周五批次上报{network}索赔系统，故障件已挂牌封存待厂家抽检",
    "已录入{network}索赔系统并上传维修前后照片、故障码截图",
]
CLAIM_APPROVE_NOTES = ["厂家审核通过，按索赔标准工时及配件价格结算", "区域技术经理审核通过，旧件无需返厂",
                       "审核通过，故障件请于月底前随旧件批次返厂"]
CLAIM_PARTLY_NOTES = ["工时超出厂家标准工时，按标准工时批准", "辅料费用不在索赔范围，其余批准"]
CLAIM_REJECT_NOTES = ["旧件检测为外力损伤，非质量问题，拒赔", "车辆已超出整车保修期（3年或10万公里），拒赔",
                      "缺少维修前故障照片及诊断记录，不予受理"]

# --- customer care -------------------------------------------------------------------------------------------------
DIMENSIONS = ["tangibles", "reliability", "responsiveness", "assurance", "empathy"]
COMMENTS_GOOD = ["服务很好，谢谢", "顾问很耐心", "交车准时", "", ""]
COMMENTS_BAD = ["异响还在，问题没有解决", "等待时间太长", "价格比预估高", "车内有油污"]
STORIES = [
    # (target state, source, category, severity, subject, words)
    ("received", "phone", "time", 1, "交车比承诺晚了两个小时", "客户来电：说好五点交车，七点才拿到车。"),
    ("analysing", "visit", "price", 2, "结算金额高于报价", "客户到店反映结算比报价多了三百多元，未事先告知。"),
    ("handling", "follow_up", "comeback", 2, "刹车异响未排除", "回访时客户表示刹车异响依旧。"),
    ("feedback", "online", "attitude", 1, "服务顾问态度冷淡", "客户在点评网站留言，顾问接待时不耐烦。"),
    ("improving", "letter", "damage", 2, "车门有新划痕", "客户来信：取车后发现左后门有划痕。"),
    ("closed", "survey", "facility", 1, "休息区空调太冷", "满意度调查中客户提到休息区温度过低。"),
    ("closed", "manufacturer", "quality", 3, "厂家转来：发动机故障灯反复亮起", "厂家客服转来投诉，三次维修未解决。"),
]

# --- KPI -----------------------------------------------------------------------------------------------------------
TARGETS = {
    "aro": Decimal("1200"), "on_time": Decimal("0.95"), "ffv": Decimal("0.92"), "efficiency": Decimal("1.05"),
    "productivity": Decimal("0.80"), "first_fill": Decimal("0.90"), "csi": Decimal("90"), "sfu": Decimal("1"),
    "parts_margin": Decimal("0.36"), "absorption": Decimal("1"),
}
OVERHEAD = (280_000, 360_000)  # CNY a month
SCORES = {"self": 85, "supervisor": 78, "customer": 82, "peer": 80}
