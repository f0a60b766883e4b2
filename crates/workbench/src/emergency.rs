//! Words that mean the caller needs 110, 119 or 120 rather than 12345: the operator is told at
//! once to transfer the call. A hint for a person, never a decision: it only flags.

/// The emergency line a situation belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Emergency {
    /// 110: a crime in progress, violence, danger to people.
    Police,
    /// 119: fire, smoke, gas leak, people trapped.
    Fire,
    /// 120: injury, unconsciousness, someone not breathing.
    Ambulance,
}

impl Emergency {
    pub fn number(self) -> &'static str {
        match self {
            Emergency::Police => "110",
            Emergency::Fire => "119",
            Emergency::Ambulance => "120",
        }
    }
}

const FIRE: &[&str] = &[
    "着火",
    "起火",
    "失火",
    "火灾",
    "冒烟",
    "浓烟",
    "燃气泄漏",
    "煤气泄漏",
    "爆炸",
    "被困",
    "fire",
    "smoke",
];
const AMBULANCE: &[&str] = &[
    "受伤",
    "流血",
    "出血",
    "昏迷",
    "晕倒",
    "不省人事",
    "没有呼吸",
    "心脏病",
    "车祸",
    "骨折",
    "中毒",
    "injured",
    "bleeding",
    "unconscious",
];
const POLICE: &[&str] = &[
    "打架",
    "斗殴",
    "抢劫",
    "持刀",
    "行凶",
    "砍人",
    "正在偷",
    "入室",
    "绑架",
    "家暴",
    "打人",
    "robbery",
    "fighting",
    "knife",
];

/// Every emergency the words point to, in the order 119, 120, 110.
pub fn emergencies(text: &str) -> Vec<Emergency> {
    let lower = text.to_lowercase();
    let mut found = Vec::new();
    for (kind, words) in [
        (Emergency::Fire, FIRE),
        (Emergency::Ambulance, AMBULANCE),
        (Emergency::Police, POLICE),
    ] {
        if words.iter().any(|w| lower.contains(w)) {
            found.push(kind);
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fire_injury_and_crime_are_flagged() {
        assert_eq!(
            emergencies("楼下饭店着火了，有人受伤"),
            [Emergency::Fire, Emergency::Ambulance]
        );
        assert_eq!(emergencies("小区门口有人持刀打架"), [Emergency::Police]);
        assert_eq!(emergencies("Smoke everywhere"), [Emergency::Fire]);
    }

    #[test]
    fn an_ordinary_appeal_is_not() {
        assert!(emergencies("小区门口饭店油烟直排，晚上窗户都不能开").is_empty());
        assert!(emergencies("路灯坏了三天").is_empty());
    }
}
