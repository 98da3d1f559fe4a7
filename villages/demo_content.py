"""The demo content loaded by `manage.py seed_demo`: two of Shanghai's internet-famous villages, in both languages.

Where the facts come from: one newspaper article (乡村不仅有好风景，也有好工作, 杨欢), which says:

- 水库村, 金山区漕泾镇, is one of Shanghai's first batch of 上海市乡村振兴示范村 (no year given); Shanghai's first
  数字游民国际村 "正式开村" there and "首批12位数字游民入驻" (the first cohort of 12 has moved in: it is in residence,
  not recruiting); it has 得天独厚的自然环境和丰富的人文资源; digital nomads bring 技术、创意 to 漕泾.
- Said of Shanghai's villages in general, not of 水库村: "推窗见绿、出门即景、生活悠然……现在的乡村早已不同以往" and
  "新一代年轻人看到，乡村不仅有好风景，也有好工作、好生活" (the headline). Neither is used as a village's own words.
- 岑卜村, 青浦区金泽镇, by 淀山湖: its "breaking out" began about 10 years ago with new villagers drawn by the lake;
  "2021年，岑卜村创建上海市乡村振兴示范村" (it set out to become one: the title is not listed as awarded) and
  微笑草帽乡村发展集团 came in as social capital; guided by 金泽镇党委、政府, company and village committee chose to
  plan, build and operate it as a whole village (整村运营); new positioning "国潮岑卜";
  "一尺花园、一步草堂、乡村大讲堂、国潮大舞台等咖啡、餐饮、民宿、公共空间营造，以IP主题理念展开" (examples of those
  four kinds, without saying which is which, so no experience is tied to a venue); nature-related parent-child
  activities 观萤火虫、骑行、皮划艇、疗愈 (the article names no place for any of them).

Everything the article does not say is a DEMO VALUE, invented only so the booking flow can be tried: every price,
capacity, duration, minimum age, cancellation window, approval setting, session day and time, the firefly season
(May to July), the coordinates (approximate), everything "before you go" (meeting points, what to bring,
accessibility, weather policies, booking cut-offs; each text is labelled as a demo value), the contact addresses
(example.com), the venue kinds (read from the names; 一步草堂 is "other"; each venue's text says so), the nomads'
working day at 水库村 (an experience the article does not mention), the residency cohorts' dates and fees, the whole
next cohort, and the pictures, which are drawn illustrations, not photographs. Texts only paraphrase the article: no
facilities, distances, routes or numbers are added.
"""

from datetime import time
from decimal import Decimal

from villages.months import mask_from_months

MON, TUE, WED, THU, FRI, SAT, SUN = range(7)
WEEKEND = (SAT, SUN)

DISTRICTS = [
    {"slug": "jinshan", "name_zh_hans": "金山区", "name_en": "Jinshan District"},
    {"slug": "qingpu", "name_zh_hans": "青浦区", "name_en": "Qingpu District"},
]

TOWNS = [
    {"slug": "caojing", "district": "jinshan", "name_zh_hans": "漕泾镇", "name_en": "Caojing Town"},
    {"slug": "jinze", "district": "qingpu", "name_zh_hans": "金泽镇", "name_en": "Jinze Town"},
]

ORGANISATIONS = [
    {
        "slug": "smiling-straw-hat",
        "name_zh_hans": "微笑草帽乡村发展集团",
        "name_en": "Smiling Straw Hat Rural Development Group",
        "short_name_zh_hans": "微笑草帽",
        "short_name_en": "Smiling Straw Hat",
        "description_zh_hans": (
            "2021年岑卜村创建上海市乡村振兴示范村时，作为社会资本进驻岑卜村。"
            "在金泽镇党委、政府的指导和支持下，与村委会共同以整村运营的方式着手岑卜村的规划、建设和运营。"
        ),
        "description_en": (
            "Came to Cenbu as social capital in 2021, when the village set out to become a Shanghai Rural "
            "Revitalisation Demonstration Village. Guided and supported by the Party committee and government of "
            "Jinze Town, it and the village committee took on the planning, building and running of Cenbu as a "
            "whole village."
        ),
    },
]

HONOURS = [
    {
        "slug": "rural-revitalisation-demo",
        "title_zh_hans": "上海市乡村振兴示范村",
        "title_en": "Shanghai Rural Revitalisation Demonstration Village",
    },
    {
        "slug": "digital-nomad-village",
        "title_zh_hans": "数字游民国际村",
        "title_en": "Digital Nomad International Village",
    },
]

# The kind shown beside a venue's name is not the article's: each venue's text says where it comes from.
KIND_FROM_NAME = ("它的类型按名称标注（示例信息）。", "Its kind is read from its name (demo value).")
KIND_UNKNOWN = (
    "它是其中哪一种尚不清楚，类型为示例信息。",
    "Which of these it is is not known: its kind is a demo value.",
)


def _venue_text(name_zh: str, name_en: str, kind_note: tuple[str, str]) -> dict:
    """What the article says of each of Cenbu's four places (the same of all four), under the venue's own name."""
    return {
        "description_zh_hans": (
            f"{name_zh}是岑卜村以IP主题理念营造的咖啡、餐饮、民宿和公共空间之一，属于村里正在培育的消费新业态。"
            + kind_note[0]
        ),
        "description_en": (
            f"{name_en} is one of the cafés, dining places, homestays and public spaces Cenbu is creating, each "
            "around a theme: new kinds of business the village is growing. " + kind_note[1]
        ),
    }


# Pictures are drawn by the command (see `draw_scene` there): a scene, a palette and honest alt texts.
ILLUSTRATION_CAPTION = {"caption_zh_hans": "示意插图，非实景照片", "caption_en": "Illustration, not a photograph"}

VILLAGES = [
    {
        "slug": "shuiku",
        "town": "caojing",
        "position": 1,
        "name_zh_hans": "水库村",
        "name_en": "Shuiku Village",
        # "上海首个数字游民国际村在金山区漕泾镇正式开村……所在地水库村": its own distinction, not the article's words
        # about villages in general ("推窗见绿、出门即景、生活悠然").
        "tagline_zh_hans": "上海首个数字游民国际村所在地",
        "tagline_en": "Home of Shanghai's first Digital Nomad International Village",
        "summary_zh_hans": (
            "金山区漕泾镇的水库村是上海市首批乡村振兴示范村之一，拥有得天独厚的自然环境和丰富的人文资源，"
            "上海首个数字游民国际村就在这里开村。"
        ),
        "summary_en": (
            "Shuiku, in Caojing Town of Jinshan District, is one of Shanghai's first batch of rural revitalisation "
            "demonstration villages, blessed with a fine natural setting and a rich cultural heritage. Shanghai's "
            "first Digital Nomad International Village opened here."
        ),
        # "上海首个数字游民国际村在金山区漕泾镇正式开村，首批12位数字游民入驻。所在地水库村是上海市首批乡村振兴示范村
        # 之一，拥有得天独厚的自然环境和丰富的人文资源。" and "个性丰富的“数字游民”群体带着技术、创意来到漕泾，在各个
        # 领域大胆尝试、大显身手，为漕泾发展注入新鲜血液，让青春梦想与乡村振兴同频共振。"
        "description_zh_hans": (
            "上海首个数字游民国际村在金山区漕泾镇正式开村，首批12位数字游民入驻，所在地就是水库村。"
            "水库村是上海市首批乡村振兴示范村之一，拥有得天独厚的自然环境和丰富的人文资源。\n\n"
            "个性丰富的“数字游民”群体带着技术和创意来到漕泾，在各个领域大胆尝试、大显身手，为漕泾发展注入新鲜血液，"
            "让青春梦想与乡村振兴同频共振。"
        ),
        "description_en": (
            "Shanghai's first Digital Nomad International Village has opened in Caojing Town, Jinshan District, "
            "with a first cohort of 12 digital nomads, and Shuiku is where it stands. Shuiku is one of Shanghai's "
            "first batch of rural revitalisation demonstration villages, blessed with a fine natural setting and a "
            "rich cultural heritage.\n\n"
            "Digital nomads of many kinds bring their skills and creativity to Caojing, try bold things in many "
            "fields and bring fresh blood to the town, so that young people's dreams keep pace with rural "
            "revitalisation."
        ),
        "getting_there_zh_hans": "位于金山区漕泾镇。出行前请向村里确认交通路线。",
        "getting_there_en": (
            "In Caojing Town, Jinshan District. Please check the route with the village before you set off."
        ),
        "operator": None,
        "operating_model_zh_hans": "",
        "operating_model_en": "",
        "operated_since": None,
        "contact_email": "shuiku@example.com",
        "latitude": Decimal("30.800000"),
        "longitude": Decimal("121.400000"),
        "cover": {
            "scene": "waterside",
            "palette": "shuiku",
            "alt_zh_hans": "示意插图：蓝天下的水面、树林与绿色田野（非实景照片）",
            "alt_en": "Illustration: water, a line of trees and green fields under a blue sky (not a photograph)",
        },
        "gallery": [
            {
                "scene": "window",
                "palette": "shuiku",
                "alt_zh_hans": "示意插图：推开窗就能看见绿色田野（非实景照片）",
                "alt_en": "Illustration: green fields seen through an open window (not a photograph)",
            },
            {
                "scene": "fields",
                "palette": "shuiku",
                "alt_zh_hans": "示意插图：成片的田野与远处的树林（非实景照片）",
                "alt_en": "Illustration: rows of fields and trees in the distance (not a photograph)",
            },
        ],
        "honours": [
            {
                "honour": "rural-revitalisation-demo",
                "year": None,
                "note_zh_hans": "首批",
                "note_en": "First batch",
            },
            {
                "honour": "digital-nomad-village",
                "year": None,
                "note_zh_hans": "上海首个",
                "note_en": "Shanghai's first",
            },
        ],
        "venues": [],
    },
    {
        "slug": "cenbu",
        "town": "jinze",
        "position": 2,
        "name_zh_hans": "岑卜村",
        "name_en": "Cenbu Village",
        "tagline_zh_hans": "国潮岑卜",
        "tagline_en": "Guochao Cenbu: the village in China-chic style",
        # "2021年，岑卜村创建上海市乡村振兴示范村": it set out to become one (创建), so the title is said in words here
        # and not listed among its honours. "以整村运营的方式着手岑卜村的规划、建设和运营，“国潮岑卜”的文旅消费新定位
        # 被提出".
        "summary_zh_hans": (
            "青浦区金泽镇淀山湖畔的岑卜村，2021年创建上海市乡村振兴示范村，以整村运营的方式着手规划、建设和运营，"
            "提出了“国潮岑卜”的文旅消费新定位。"
        ),
        "summary_en": (
            "Cenbu lies by Dianshan Lake in Jinze Town, Qingpu District. In 2021 it set out to become a Shanghai "
            "Rural Revitalisation Demonstration Village; its planning, building and running were taken on as a whole "
            'village, and a new culture-and-tourism identity put forward: "Guochao Cenbu".'
        ),
        "description_zh_hans": (
            "岑卜村的“破圈”始于大约10年前：一些向往乡村生活的新村民循着淀山湖的景色来到这里，"
            "被村里安静的生活节奏和湖畔的宁静气息吸引。\n\n"
            "2021年，岑卜村创建上海市乡村振兴示范村，微笑草帽乡村发展集团作为社会资本进驻。"
            "在金泽镇党委、政府的指导和支持下，企业与村委会共同决定，以整村运营的方式着手岑卜村的规划、建设和运营。"
            "“国潮岑卜”的文旅消费新定位被提出，触发了岑卜村的“二次破圈”。\n\n"
            "岑卜村的消费新业态正在培育：一尺花园、一步草堂、乡村大讲堂、国潮大舞台等咖啡、餐饮、民宿和公共空间营造，"
            "以IP主题理念展开；观萤火虫、骑行、皮划艇、疗愈等与自然相关的亲子运动业态，主张多元多样、有序发展。"
        ),
        "description_en": (
            "Cenbu first broke out about ten years ago, when new villagers longing for country life followed the "
            "scenery of Dianshan Lake here and were won over by the village's quiet pace and the calm of the "
            "lakeside.\n\n"
            "In 2021 Cenbu set out to become a Shanghai Rural Revitalisation Demonstration Village, and the Smiling "
            "Straw Hat Rural Development Group came in as social capital. Guided and supported by the Party "
            "committee and government of Jinze Town, the company and the village committee decided together to "
            'plan, build and run Cenbu as a whole village. A new culture-and-tourism identity, "Guochao Cenbu", '
            "was put forward and set off the village's second breakout.\n\n"
            "New kinds of business are growing: cafés, dining, homestays and public spaces such as the Yichi "
            "Garden, the Yibu Caotang, the Village Lecture Hall and the Guochao Stage, each built around its own "
            "theme; and nature-related activities for parents and children, such as firefly viewing, cycling, "
            "kayaking and wellness, developed in many forms and at a steady pace."
        ),
        "getting_there_zh_hans": "位于青浦区金泽镇淀山湖畔。出行前请向村里确认交通路线。",
        "getting_there_en": (
            "By Dianshan Lake in Jinze Town, Qingpu District. Please check the route with the village before you "
            "set off."
        ),
        "operator": "smiling-straw-hat",
        "operating_model_zh_hans": "整村运营：企业与村委会共同规划、建设和运营",
        "operating_model_en": (
            "Run as a whole village: planned, built and operated by the company and the village committee"
        ),
        "operated_since": 2021,
        "contact_email": "cenbu@example.com",
        "latitude": Decimal("31.080000"),
        "longitude": Decimal("120.930000"),
        "cover": {
            "scene": "lake",
            "palette": "cenbu",
            "alt_zh_hans": "示意插图：暖色天空下的湖面、远岸与芦苇（非实景照片）",
            "alt_en": "Illustration: a lake, its far shore and reeds under a warm sky (not a photograph)",
        },
        "gallery": [
            {
                "scene": "garden",
                "palette": "cenbu",
                "alt_zh_hans": "示意插图：开满花的小花园（非实景照片）",
                "alt_en": "Illustration: a small garden in flower (not a photograph)",
            },
            {
                "scene": "stage",
                "palette": "cenbu",
                "alt_zh_hans": "示意插图：挂着红色幕布的户外舞台（非实景照片）",
                "alt_en": "Illustration: an open-air stage with red curtains (not a photograph)",
            },
            {
                "scene": "fields",
                "palette": "cenbu",
                "alt_zh_hans": "示意插图：湖边的田野与树林（非实景照片）",
                "alt_en": "Illustration: fields and trees near a lake (not a photograph)",
            },
        ],
        # None: in 2021 it set out to become (创建) a 上海市乡村振兴示范村; the article does not say it was awarded.
        "honours": [],
        # All the article says of the four places: "岑卜村的消费新业态正在培育，一尺花园、一步草堂、乡村大讲堂、
        # 国潮大舞台等咖啡、餐饮、民宿、公共空间营造，以IP主题理念展开". It does not say which place is which kind:
        # each kind is read from the name (花园, 讲堂, 舞台; 草堂 says nothing), and each text labels it a demo value.
        "venues": [
            {
                "slug": "yichi-garden",
                "kind": "garden",
                "name_zh_hans": "一尺花园",
                "name_en": "Yichi Garden",
                **_venue_text("一尺花园", "The Yichi Garden", KIND_FROM_NAME),
            },
            {
                "slug": "yibu-caotang",
                "kind": "other",
                "name_zh_hans": "一步草堂",
                "name_en": "Yibu Caotang",
                **_venue_text("一步草堂", "The Yibu Caotang", KIND_UNKNOWN),
            },
            {
                "slug": "village-lecture-hall",
                "kind": "lecture_hall",
                "name_zh_hans": "乡村大讲堂",
                "name_en": "Village Lecture Hall",
                **_venue_text("乡村大讲堂", "The Village Lecture Hall", KIND_FROM_NAME),
            },
            {
                "slug": "guochao-stage",
                "kind": "stage",
                "name_zh_hans": "国潮大舞台",
                "name_en": "Guochao Stage",
                **_venue_text("国潮大舞台", "The Guochao Stage", KIND_FROM_NAME),
            },
        ],
    },
]

# Each experience: content from the article, then DEMO VALUES (price, seats, times…) and a weekly timetable of
# (weekdays, start times) in Shanghai time. `season_months` limits the days sessions are planned on.
EXPERIENCES = [
    {
        "slug": "shuiku-nomad-workday",
        "village": "shuiku",
        "venue": None,
        "kind": "nomad_stay",
        "position": 1,
        "title_zh_hans": "数字游民国际村 · 乡村办公体验日",
        "title_en": "Digital Nomad International Village · A working day in the village",
        # "上海首个数字游民国际村在金山区漕泾镇正式开村，首批12位数字游民入驻" and "带着技术、创意来到漕泾，在各个领域
        # 大胆尝试". The article mentions no day visits: the working day itself is a demo experience, and says so.
        "description_zh_hans": (
            "水库村是上海首个数字游民国际村的所在地，首批12位数字游民已经入驻，带着技术和创意在各个领域大胆尝试。"
            "来水库村，在乡村度过一个工作日。\n\n示例信息：这项体验只为演示预订流程而设。"
        ),
        "description_en": (
            "Shuiku is home to Shanghai's first Digital Nomad International Village, where a first cohort of 12 "
            "digital nomads has moved in, bringing skills and creativity to many fields. Spend a working day in "
            "the village.\n\nDemo value: this experience is here only so that booking can be tried."
        ),
        "duration_minutes": 480,
        "adult_price": Decimal("120.00"),
        "child_price": Decimal("120.00"),
        "capacity": 12,
        "min_age": 18,
        "cancellation_window_hours": 24,
        "requires_approval": True,
        "season_months": None,
        "timetable": [((TUE, THU), (time(9, 30),))],
        "picture": {
            "scene": "window",
            "palette": "shuiku",
            "alt_zh_hans": "示意插图：窗边的书桌与笔记本电脑，窗外是绿色田野（非实景照片）",
            "alt_en": "Illustration: a desk with a laptop by a window looking out on green fields (not a photograph)",
        },
    },
    {
        "slug": "cenbu-firefly-viewing",
        "village": "cenbu",
        "venue": None,
        "kind": "firefly_viewing",
        "position": 1,
        # "观萤火虫、骑行、皮划艇、疗愈等与自然相关的亲子运动业态" and "一些向往乡村生活的新村民循着淀山湖的景色来到
        # 这里，被村里安静的生活节奏和湖畔的宁静气息吸引". The article places the fireflies nowhere in particular (no
        # venue); the season is a demo value. "fireflies" is in the English title: the home page's search hint.
        "title_zh_hans": "岑卜夏夜观萤火虫",
        "title_en": "Watching fireflies on a summer evening in Cenbu",
        "description_zh_hans": (
            "观萤火虫是岑卜村与自然相关的亲子运动业态之一。岑卜村在淀山湖畔，一些向往乡村生活的新村民循着淀山湖的景色"
            "来到这里，被村里安静的生活节奏和湖畔的宁静气息吸引。本活动只在每年5月至7月的傍晚开放（示例信息）。"
        ),
        "description_en": (
            "Watching fireflies is one of Cenbu's nature-related activities for parents and children. The village "
            "lies by Dianshan Lake: new villagers longing for country life followed the lake's scenery here and "
            "were won over by its quiet pace and lakeside calm. Sessions run on evenings from May to July only "
            "(demo value)."
        ),
        "duration_minutes": 90,
        "adult_price": Decimal("68.00"),
        "child_price": Decimal("38.00"),
        "capacity": 20,
        "min_age": 3,
        "cancellation_window_hours": 24,
        "requires_approval": False,
        "season_months": [5, 6, 7],
        "timetable": [((FRI, SAT, SUN), (time(19, 30),))],
        "picture": {
            "scene": "fireflies",
            "palette": "cenbu",
            "alt_zh_hans": "示意插图：夏夜树影间闪烁的萤火虫（非实景照片）",
            "alt_en": "Illustration: fireflies glowing between dark trees on a summer night (not a photograph)",
        },
    },
    {
        "slug": "cenbu-cycling",
        "village": "cenbu",
        "venue": None,
        "kind": "cycling",
        "position": 2,
        "title_zh_hans": "岑卜乡村骑行",
        "title_en": "Country cycling in Cenbu",
        "description_zh_hans": (
            "骑行是岑卜村与自然相关的亲子运动业态之一。骑上单车，感受这座淀山湖畔村庄安静的生活节奏。"
        ),
        "description_en": (
            "Cycling is one of Cenbu's nature-related sports for parents and children. Take a bike and feel the "
            "quiet pace of this village by Dianshan Lake."
        ),
        "duration_minutes": 120,
        "adult_price": Decimal("60.00"),
        "child_price": Decimal("40.00"),
        "capacity": 12,
        "min_age": 8,
        "cancellation_window_hours": 24,
        "requires_approval": False,
        "season_months": None,
        "timetable": [(WEEKEND, (time(9, 30), time(14, 0))), ((WED,), (time(14, 0),))],
        "picture": {
            "scene": "cycling",
            "palette": "cenbu",
            "alt_zh_hans": "示意插图：田间小路上的一辆自行车（非实景照片）",
            "alt_en": "Illustration: a bicycle on a path between fields (not a photograph)",
        },
    },
    {
        "slug": "cenbu-kayaking",
        "village": "cenbu",
        "venue": None,
        "kind": "kayaking",
        "position": 3,
        "title_zh_hans": "皮划艇体验",
        "title_en": "Kayaking",
        "description_zh_hans": "皮划艇是岑卜村与自然相关的亲子运动业态之一，适合家长和孩子一起参加。",
        "description_en": "Kayaking is one of Cenbu's nature-related sports for parents and children to try together.",
        "duration_minutes": 90,
        "adult_price": Decimal("128.00"),
        "child_price": Decimal("88.00"),
        "capacity": 8,
        "min_age": 10,
        "cancellation_window_hours": 48,
        "requires_approval": False,
        "season_months": None,
        "timetable": [(WEEKEND, (time(10, 0), time(14, 30)))],
        "picture": {
            "scene": "kayak",
            "palette": "cenbu",
            "alt_zh_hans": "示意插图：平静湖面上的一艘皮划艇（非实景照片）",
            "alt_en": "Illustration: a kayak on a calm lake (not a photograph)",
        },
    },
    {
        "slug": "cenbu-wellness",
        "village": "cenbu",
        "venue": None,
        "kind": "wellness",
        "position": 4,
        "title_zh_hans": "自然疗愈",
        "title_en": "Nature wellness",
        "description_zh_hans": "疗愈是岑卜村与自然相关的亲子业态之一：在湖畔村庄的宁静气息中放慢节奏。",
        "description_en": (
            "Wellness is one of Cenbu's nature-related activities for parents and children: a chance to slow down "
            "in the calm of a lakeside village."
        ),
        "duration_minutes": 90,
        "adult_price": Decimal("98.00"),
        "child_price": Decimal("58.00"),
        "capacity": 15,
        "min_age": 6,
        "cancellation_window_hours": 24,
        "requires_approval": False,
        "season_months": None,
        "timetable": [(WEEKEND, (time(10, 0),)), ((THU,), (time(15, 0),))],
        "picture": {
            "scene": "wellness",
            "palette": "cenbu",
            "alt_zh_hans": "示意插图：柔和的晨光与草地（非实景照片）",
            "alt_en": "Illustration: soft morning light over grass (not a photograph)",
        },
    },
    {
        "slug": "cenbu-parent-child",
        "village": "cenbu",
        "venue": None,
        "kind": "parent_child",
        "position": 5,
        "title_zh_hans": "亲子自然运动",
        "title_en": "Outdoor activities for parents and children",
        "description_zh_hans": (
            "岑卜村的亲子运动业态都与自然相关，包括观萤火虫、骑行、皮划艇、疗愈等，主张多元多样、有序发展。"
            "本场次由家长和孩子一同参加，具体内容以当天安排为准。"
        ),
        "description_en": (
            "Cenbu's activities for parents and children are all about nature: firefly viewing, cycling, kayaking, "
            "wellness and more, developed in many forms and at a steady pace. Parents and children take part "
            "together; the programme of the day is set by the village."
        ),
        "duration_minutes": 180,
        "adult_price": Decimal("158.00"),
        "child_price": Decimal("98.00"),
        "capacity": 16,
        "min_age": 4,
        "cancellation_window_hours": 48,
        "requires_approval": False,
        "season_months": None,
        "timetable": [(WEEKEND, (time(9, 30),))],
        "picture": {
            "scene": "family",
            "palette": "cenbu",
            "alt_zh_hans": "示意插图：草地上的一大一小两个人影（非实景照片）",
            "alt_en": "Illustration: a grown-up and a child on a meadow (not a photograph)",
        },
    },
    {
        "slug": "cenbu-cafe-dining",
        "village": "cenbu",
        "venue": None,
        "kind": "dining",
        "position": 6,
        "title_zh_hans": "咖啡与乡村餐饮",
        "title_en": "Coffee and country dining",
        # "一尺花园、一步草堂、乡村大讲堂、国潮大舞台等咖啡、餐饮、民宿、公共空间营造，以IP主题理念展开": the four
        # places are examples of these kinds together, none named as the café, so this experience has no venue.
        "description_zh_hans": (
            "咖啡和餐饮是岑卜村正在培育的消费新业态：一尺花园、一步草堂、乡村大讲堂、国潮大舞台等咖啡、餐饮、民宿和"
            "公共空间营造，以IP主题理念展开。"
        ),
        "description_en": (
            "Cafés and dining are among the new kinds of business growing in Cenbu: cafés, dining, homestays and "
            "public spaces such as the Yichi Garden, the Yibu Caotang, the Village Lecture Hall and the Guochao "
            "Stage, each built around a theme."
        ),
        "duration_minutes": 90,
        "adult_price": Decimal("88.00"),
        "child_price": Decimal("48.00"),
        "capacity": 24,
        "min_age": 0,
        "cancellation_window_hours": 12,
        "requires_approval": False,
        "season_months": None,
        "timetable": [((FRI, SAT, SUN), (time(11, 30), time(17, 30)))],
        "picture": {
            "scene": "dining",
            "palette": "cenbu",
            "alt_zh_hans": "示意插图：木桌上的一杯咖啡和一只餐盘（非实景照片）",
            "alt_en": "Illustration: a cup of coffee and a plate on a wooden table (not a photograph)",
        },
    },
    {
        "slug": "cenbu-homestay-night",
        "village": "cenbu",
        "venue": None,
        "kind": "homestay",
        "position": 7,
        "title_zh_hans": "岑卜民宿住一晚",
        "title_en": "A night in a Cenbu homestay",
        "description_zh_hans": (
            "民宿是岑卜村正在培育的消费新业态之一。在村里住上一晚，体验吸引新村民的安静生活节奏和湖畔的宁静气息。"
        ),
        "description_en": (
            "Homestays are among the new kinds of business Cenbu is growing. Stay a night and enjoy the quiet pace "
            "and lakeside calm that drew the new villagers here."
        ),
        "duration_minutes": 21 * 60,
        "adult_price": Decimal("480.00"),
        "child_price": Decimal("240.00"),
        "capacity": 4,
        "min_age": 0,
        "cancellation_window_hours": 72,
        "requires_approval": True,
        "season_months": None,
        "timetable": [((FRI, SAT), (time(15, 0),))],
        "picture": {
            "scene": "homestay",
            "palette": "cenbu",
            "alt_zh_hans": "示意插图：暮色中亮着灯的乡村小屋（非实景照片）",
            "alt_en": "Illustration: a country house with lit windows at dusk (not a photograph)",
        },
    },
]

# Before you go: the articles give no meeting points, kit lists, access notes, weather rules or booking cut-offs, so
# every value below is a DEMO VALUE, and each text says so. The coordinates are approximate points near each village;
# a meeting point at one of the article's named places has none, since where that place stands is not known.
DEMO_NOTE_ZH = "（示例信息）"
DEMO_NOTE_EN = " (demo value)"


def _demo(zh: str, en: str, field: str) -> dict:
    return {f"{field}_zh_hans": zh + DEMO_NOTE_ZH, f"{field}_en": en + DEMO_NOTE_EN}


BEFORE_YOU_GO = {
    "shuiku-nomad-workday": {
        **_demo("水库村村委会门口", "The gate of the Shuiku village committee", "meeting_point"),
        "meeting_point_latitude": Decimal("30.800600"),
        "meeting_point_longitude": Decimal("121.400500"),
        **_demo("笔记本电脑、充电器和水杯。", "Your laptop, its charger and a water bottle.", "what_to_bring"),
        **_demo(
            "如有行动不便，请在备注中告诉村里。",
            "If you have reduced mobility, tell the village in the notes.",
            "accessibility",
        ),
        **_demo("室内活动，天气不影响。", "Held indoors, whatever the weather.", "weather_policy"),
        "booking_cutoff_minutes": 12 * 60,
    },
    "cenbu-firefly-viewing": {
        **_demo("岑卜村湖畔集合点", "The lakeside meeting point in Cenbu", "meeting_point"),
        "meeting_point_latitude": Decimal("31.081200"),
        "meeting_point_longitude": Decimal("120.931500"),
        **_demo(
            "长袖衣裤、驱蚊用品、带红光的手电筒；请勿使用闪光灯。",
            "Long sleeves and trousers, insect repellent and a red-light torch; please no flash photography.",
            "what_to_bring",
        ),
        **_demo(
            "乡间小路，天黑后光线较暗，不便推婴儿车。",
            "Country paths, dark after nightfall; not suitable for pushchairs.",
            "accessibility",
        ),
        **_demo(
            "大雨或雷暴时取消，村里会发邮件通知并提供改期。",
            "Called off in heavy rain or thunderstorms: the village emails you with other evenings to rebook.",
            "weather_policy",
        ),
        "booking_cutoff_minutes": 60,
    },
    "cenbu-cycling": {
        **_demo("岑卜村游客中心", "The Cenbu visitor centre", "meeting_point"),
        "meeting_point_latitude": Decimal("31.080400"),
        "meeting_point_longitude": Decimal("120.929200"),
        **_demo("运动鞋、防晒用品和水。", "Trainers, sun protection and water.", "what_to_bring"),
        **_demo("需要能独立骑行。", "Each rider must be able to ride a bicycle alone.", "accessibility"),
        **_demo(
            "下雨时取消并提供改期。", "Called off in rain, with other sessions offered to rebook.", "weather_policy"
        ),
        "booking_cutoff_minutes": 30,
    },
    "cenbu-kayaking": {
        **_demo("淀山湖边的皮划艇码头", "The kayak landing on Dianshan Lake", "meeting_point"),
        "meeting_point_latitude": Decimal("31.082000"),
        "meeting_point_longitude": Decimal("120.933000"),
        **_demo(
            "可以弄湿的衣服、替换衣物和毛巾。",
            "Clothes that can get wet, a change of clothes and a towel.",
            "what_to_bring",
        ),
        **_demo(
            "需要能上下船；救生衣由村里提供。",
            "You need to step in and out of a boat; life jackets are provided.",
            "accessibility",
        ),
        **_demo(
            "大风或降雨时取消，村里会发邮件通知并提供改期。",
            "Called off in strong wind or rain: the village emails you with other sessions to rebook.",
            "weather_policy",
        ),
        "booking_cutoff_minutes": 120,
    },
    "cenbu-wellness": {
        **_demo("一尺花园", "The Yichi Garden", "meeting_point"),
        **_demo("宽松舒适的衣服。", "Loose, comfortable clothes.", "what_to_bring"),
        **_demo("平地活动，轮椅可到达。", "On level ground, reachable by wheelchair.", "accessibility"),
        **_demo("下雨时移到室内进行。", "Moves indoors when it rains.", "weather_policy"),
        "booking_cutoff_minutes": 30,
    },
    "cenbu-parent-child": {
        **_demo("乡村大讲堂门前", "In front of the Village Lecture Hall", "meeting_point"),
        **_demo("运动鞋、帽子和水。", "Trainers, a hat and water.", "what_to_bring"),
        **_demo("孩子须由家长全程陪同。", "Children stay with a parent throughout.", "accessibility"),
        **_demo("下雨时改为室内活动。", "Held indoors when it rains.", "weather_policy"),
        "booking_cutoff_minutes": 60,
    },
    "cenbu-cafe-dining": {
        **_demo("一步草堂", "The Yibu Caotang", "meeting_point"),
        **_demo("如有忌口，请在备注中写明。", "If you have dietary needs, say so in the notes.", "what_to_bring"),
        **_demo("室内座位，轮椅可到达。", "Indoor seating, reachable by wheelchair.", "accessibility"),
        **_demo("室内进行，天气不影响。", "Held indoors, whatever the weather.", "weather_policy"),
        "booking_cutoff_minutes": 30,
    },
    "cenbu-homestay-night": {
        **_demo("岑卜村游客中心（办理入住）", "The Cenbu visitor centre (check-in)", "meeting_point"),
        "meeting_point_latitude": Decimal("31.080400"),
        "meeting_point_longitude": Decimal("120.929200"),
        **_demo("身份证件，入住登记需要。", "An identity document, needed at check-in.", "what_to_bring"),
        **_demo(
            "如需无障碍房间，请在预订前联系村里。",
            "For a step-free room, contact the village before booking.",
            "accessibility",
        ),
        **_demo("天气不影响入住。", "The stay goes ahead whatever the weather.", "weather_policy"),
        # Each booking waits for the village's approval: bookings close the day before.
        "booking_cutoff_minutes": 24 * 60,
    },
}
for experience in EXPERIENCES:
    experience.update(BEFORE_YOU_GO[experience["slug"]])

# Residency programmes (数字游民国际村). The article: "近日，上海首个数字游民国际村在金山区漕泾镇正式开村，
# 首批12位数字游民入驻。所在地水库村…" and "个性丰富的“数字游民”群体带着技术、创意来到漕泾". So the first
# cohort is 12 nomads who have moved in: it is in residence, its places all taken, not open for applications. The
# article tells of no other cohort: the next one, open so that applying can be tried, is a DEMO, and says so in its
# name and text.
# DEMO VALUES, each labelled on the page: the dates (whole days relative to the day the seed runs, at 00:00 Shanghai
# time, so that the first cohort is in residence and the next one open on that day), the monthly fee (the model needs
# one) and the next cohort's places. Nothing is said of what a cohort includes (accommodation, desk, internet, meals,
# languages): those stay empty.
NOTHING_INCLUDED = {
    "accommodation_zh_hans": "",
    "accommodation_en": "",
    "coworking_desk": False,
    "internet_mbps": None,
    "meals_zh_hans": "",
    "meals_en": "",
    "working_languages_zh_hans": "",
    "working_languages_en": "",
}
RESIDENCY_PROGRAMS = [
    {
        "slug": "shuiku-digital-nomad-first-cohort",
        "village": "shuiku",
        "name_zh_hans": "水库村数字游民国际村 · 首批",
        "name_en": "Shuiku Digital Nomad International Village · first cohort",
        "description_zh_hans": (
            "上海首个数字游民国际村在金山区漕泾镇正式开村，首批12位数字游民已经入驻水库村。"
            "个性丰富的“数字游民”群体带着技术和创意来到漕泾，在各个领域大胆尝试、大显身手。"
            "\n\n示例信息：日期和月费为示例值。"
        ),
        "description_en": (
            "Shanghai's first Digital Nomad International Village has opened in Caojing Town, Jinshan District, and "
            "its first cohort of 12 digital nomads has moved in at Shuiku Village. Digital nomads of many kinds bring "
            "their skills and creativity to Caojing and try bold things in many fields."
            "\n\nDemo value: the dates and the monthly fee are example values."
        ),
        "places": 12,  # "首批12位数字游民"
        "places_accepted": 12,  # "首批12位数字游民入驻": all twelve have moved in (no applications on this site)
        "applications_open_days": -120,  # DEMO: the window opened 120 days before the seed day
        "applications_close_days": -60,  # DEMO: and closed 60 days before it
        "starts_in_days": -30,  # DEMO: the cohort moved in 30 days before the seed day ("近日…入驻")
        "duration_months": 6,  # DEMO
        "monthly_fee": Decimal("3000.00"),  # DEMO
        **NOTHING_INCLUDED,
    },
    {
        "slug": "shuiku-digital-nomad-next-cohort",
        "village": "shuiku",
        "name_zh_hans": "水库村数字游民国际村 · 下一期" + DEMO_NOTE_ZH,
        "name_en": "Shuiku Digital Nomad International Village · next cohort" + DEMO_NOTE_EN,
        "description_zh_hans": (
            "示例信息：这一期只为演示申请流程而设，并非真实招募；日期、名额和月费均为示例值。"
            "首批12位数字游民已经入驻水库村。"
        ),
        "description_en": (
            "Demo value: this cohort is here only so that applying can be tried, not a real call for applications; "
            "its dates, places and monthly fee are example values. The first cohort of 12 digital nomads has "
            "already moved in at Shuiku Village."
        ),
        "places": 12,  # DEMO
        "applications_open_days": -7,  # DEMO: opened 7 days before the seed day
        "applications_close_days": 60,  # DEMO: closes 60 days after the seed day
        "starts_in_days": 90,  # DEMO: the cohort starts 90 days after the seed day
        "duration_months": 6,  # DEMO
        "monthly_fee": Decimal("3000.00"),  # DEMO
        **NOTHING_INCLUDED,
    },
]


def season_mask(experience: dict) -> int:
    months = experience["season_months"]
    return mask_from_months(months or range(1, 13))


# Development-only operator accounts (see README): one per demo village, to see the admin's isolation.
DEMO_OPERATORS = {"shuiku": "shuiku-operator", "cenbu": "cenbu-operator"}
DEMO_OPERATOR_PASSWORD = "village-demo-2026"
