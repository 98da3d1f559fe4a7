"""What generated rows say: names, taglines and sentences in both languages, the times sessions start at, the
visitors' names and notes. Plain data, picked from by the generator's seeded random number generator."""

from datetime import time as clock

from villages.models import Experience

SYLLABLES = [
    ("青", "Qing"), ("溪", "Xi"), ("桃", "Tao"), ("竹", "Zhu"), ("荷", "He"), ("柳", "Liu"), ("石", "Shi"),
    ("松", "Song"), ("梅", "Mei"), ("枫", "Feng"), ("云", "Yun"), ("泉", "Quan"), ("湖", "Hu"), ("塘", "Tang"),
    ("港", "Gang"), ("浜", "Bang"), ("泾", "Jing"), ("桥", "Qiao"), ("湾", "Wan"), ("田", "Tian"), ("沙", "Sha"),
    ("金", "Jin"), ("杏", "Xing"), ("菱", "Ling"), ("莲", "Lian"), ("蒲", "Pu"), ("芦", "Lu"), ("渔", "Yu"),
    ("稻", "Dao"), ("茶", "Cha"), ("花", "Hua"), ("林", "Lin"), ("河", "He"), ("山", "Shan"), ("东", "Dong"),
    ("南", "Nan"), ("北", "Bei"), ("新", "Xin"), ("安", "An"), ("兴", "Xing"), ("丰", "Feng"), ("华", "Hua"),
    ("永", "Yong"), ("长", "Chang"), ("望", "Wang"), ("仓", "Cang"), ("朱", "Zhu"), ("庄", "Zhuang"),
]  # fmt: skip
TAGLINES = [
    ("稻田与河浜之间的慢生活", "Slow living between rice fields and creeks"),
    ("骑行、露营和田园餐桌", "Cycling, camping and farm-to-table meals"),
    ("老宅新生的乡村客厅", "Old houses reborn as the village's living room"),
    ("江南水乡的周末去处", "A weekend in a water town south of the Yangtze"),
    ("非遗手作与乡土市集", "Heritage crafts and a country market"),
    ("果园采摘与亲子农场", "Orchard picking and a family farm"),
    ("湖畔民宿与星空露营", "Lakeside homestays and camping under the stars"),
    ("数字游民的共享办公村", "A coworking village for digital nomads"),
    ("滨海湿地与候鸟观察", "Coastal wetlands and migrating birds"),
    ("竹林茶香里的乡村振兴", "Rural revitalisation among bamboo and tea"),
]
SENTENCES = [
    ("村里保留着成片的水杉林和老石桥。", "The village keeps its stands of dawn redwood and its old stone bridges."),
    ("周末有本地农户摆摊，卖自家种的蔬果。", "At weekends local farmers sell the vegetables and fruit they grow."),
    ("沿河新修了一条步道，适合散步和慢跑。", "A new path runs along the river, good for a walk or a run."),
    ("老粮仓改造成了咖啡馆和展览空间。", "The old granary is now a café and an exhibition space."),
    ("村委会和运营团队一起规划乡村旅游。", "The village committee plans its tourism together with an operator."),
    ("春天油菜花开，秋天稻田金黄。", "Rapeseed blooms in spring; in autumn the rice fields turn gold."),
    ("从市区出发，自驾约一个半小时可到。", "It is about an hour and a half's drive from the city centre."),
    ("村口的公交站有班车连接镇上的地铁站。", "A bus from the village gate connects to the town's metro station."),
    ("民宿由村民的老房子改建而成。", "The homestays are villagers' old houses, rebuilt."),
    ("每月举办一次乡村音乐会。", "A village concert takes place once a month."),
    ("这里的桃子和葡萄小有名气。", "Its peaches and grapes are known around the district."),
    ("湿地公园里能看到白鹭和野鸭。", "Egrets and wild ducks live in the wetland park."),
    ("共享办公空间提供高速网络和会议室。", "The coworking space has fast internet and a meeting room."),
    ("手作工坊教竹编、扎染和土布织造。", "The workshops teach bamboo weaving, tie-dye and homespun cloth."),
    ("村史馆讲述这里几百年的变迁。", "The village museum tells of its centuries of change."),
    ("骑行道串起了几个相邻的自然村。", "A cycle path links several neighbouring hamlets."),
]
WHAT_TO_BRING = ("舒适的鞋子和水杯", "Comfortable shoes and a water bottle")
ACCESSIBILITY = ("部分路段不平，轮椅通行不便", "Some paths are uneven: hard going for a wheelchair")
WEATHER_POLICY = ("雨天照常进行；暴雨或台风时取消并全额退款", "Runs in light rain; storms or typhoons: full refund")
GENERATED_NOTE = ("（本条为性能测试生成的数据。）", "(Generated for load testing.)")
KINDS = {
    Experience.Kind.CYCLING: (["{v}环村骑行", "{v}田野骑行半日游"], ["Cycling around {v}", "Half a day cycling {v}"]),
    Experience.Kind.KAYAKING: (["{v}河浜皮划艇"], ["Kayaking the creeks of {v}"]),
    Experience.Kind.WELLNESS: (["{v}湖畔瑜伽", "{v}森林冥想"], ["Lakeside yoga at {v}", "Forest meditation at {v}"]),
    Experience.Kind.PARENT_CHILD: (["{v}亲子农耕", "{v}亲子自然课"], ["Family farming at {v}", "Nature class at {v}"]),
    Experience.Kind.NOMAD_STAY: (["{v}数字游民工作日"], ["A digital nomad workday at {v}"]),
    Experience.Kind.LECTURE: (["{v}乡村振兴讲堂", "{v}村史讲座"], ["Village talk at {v}", "History of {v}: a talk"]),
    Experience.Kind.DINING: (["{v}田园午餐", "{v}农家私房菜"], ["Farm-to-table lunch at {v}", "Home cooking at {v}"]),
    Experience.Kind.HOMESTAY: (["{v}民宿一晚"], ["A night in a homestay at {v}"]),
    Experience.Kind.OTHER: (["{v}竹编手作", "{v}扎染工坊"], ["Bamboo weaving at {v}", "Tie-dye workshop at {v}"]),
}
FIREFLY_TITLES = (["{v}萤火虫之夜"], ["Firefly night at {v}"])
FIREFLY_SENTENCE = ("夏夜在溪边可以看到萤火虫。", "On summer nights fireflies glow along the stream.")
START_TIMES = {
    Experience.Kind.CYCLING: (clock(9, 30), clock(14, 0)),
    Experience.Kind.KAYAKING: (clock(10, 0), clock(14, 30)),
    Experience.Kind.WELLNESS: (clock(8, 0), clock(16, 0)),
    Experience.Kind.PARENT_CHILD: (clock(9, 30), clock(14, 0)),
    Experience.Kind.NOMAD_STAY: (clock(9, 0),),
    Experience.Kind.LECTURE: (clock(14, 0), clock(19, 0)),
    Experience.Kind.DINING: (clock(11, 30), clock(17, 30)),
    Experience.Kind.HOMESTAY: (clock(15, 0),),
    Experience.Kind.OTHER: (clock(10, 0), clock(14, 0)),
    Experience.Kind.FIREFLY_VIEWING: (clock(19, 30),),
}
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
GIVEN_NAMES = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚英华玲"
FIRST_NAMES = ["Alex", "Sam", "Maria", "Lena", "Tom", "Yuki", "Omar", "Sofia", "Ben", "Chloe", "Ivan", "Nora"]
LAST_NAMES = ["Smith", "Müller", "Tanaka", "Garcia", "Kim", "Rossi", "Dubois", "Novak", "Silva", "Brown"]
MOBILE_PREFIXES = ["139", "138", "137", "186", "158", "177", "150", "189"]
NOTES = ["", "", "", "", "", "", "", "", "有一位老人同行", "需要儿童座椅", "We may arrive a little late", "素食"]
