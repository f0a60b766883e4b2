//! Invented appeal-like sentences for the unit tests (no real work orders).

use crate::engine::Example;

/// Four units, six invented cases each.
pub(crate) const CASES: &[(&str, &str)] = &[
    ("traffic", "小区门口有车辆违章停车，堵住了消防通道"),
    ("traffic", "路口红绿灯坏了好几天，交通很乱"),
    ("traffic", "早高峰这条路严重拥堵，希望交警疏导"),
    ("traffic", "有人在人行道上违章停车，行人只能走机动车道"),
    ("traffic", "货车在学校门口乱停乱放，影响交通安全"),
    ("traffic", "十字路口经常有车闯红灯，请加强交通管理"),
    ("city", "街边烧烤摊占道经营，油烟很大"),
    ("city", "小区里有人违章搭建彩钢房"),
    ("city", "流动摊贩在天桥下占道经营，垃圾乱扔"),
    ("city", "餐馆油烟直排，楼上住户无法开窗"),
    ("city", "楼顶违章搭建的房子一直没有拆除"),
    ("city", "夜市摊贩占道经营到深夜，油烟扰民"),
    ("env", "工地夜间施工噪音很大，影响休息"),
    ("env", "工厂往河里排放污水，河水发臭"),
    ("env", "建筑工地扬尘严重，没有覆盖防尘网"),
    ("env", "化工厂排放废气，附近气味刺鼻"),
    ("env", "搅拌站夜间施工噪音扰民"),
    ("env", "河道里有污水排放，鱼都死了"),
    ("housing", "小区电梯经常故障，物业不维修"),
    ("housing", "房屋漏水，开发商拒绝维修"),
    ("housing", "物业公司乱收停车费和物业费"),
    ("housing", "电梯困人，物业很久才来处理"),
    ("housing", "新房交房后墙面开裂漏水"),
    ("housing", "物业不作为，小区公共设施坏了没人修"),
];

pub(crate) fn examples() -> Vec<Example> {
    CASES
        .iter()
        .map(|(label, text)| Example {
            text: (*text).to_owned(),
            label: (*label).to_owned(),
            channel: Some("来电".to_owned()),
            kind: Some("投诉".to_owned()),
        })
        .collect()
}
