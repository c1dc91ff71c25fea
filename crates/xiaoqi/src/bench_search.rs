//! `xiaoqi bench search`: builds a realistic search corpus in a fresh database and measures query
//! times, so that both engines can be held to the same target (p95 ≤ 50 ms at 1,000,000 docs).
//!
//! The corpus is deterministic for a seed: job demands, organisations, majors, services and teams
//! written from a few hundred vocational words (Chinese and English), the CSCO 2022 occupation
//! names and aliases, and the names of cities. Words are drawn with a skew, so some are in a large
//! share of the documents (工程师, 技术) and others in very few. The queries mix broad and rare,
//! one- and two-word, Chinese, English and mixed text, some with a kinds filter; each asks for the
//! first page of 20.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};
use serde_json::json;
use xiaoqi_domain::page::PageRequest;
use xiaoqi_store::prelude::*;
use xiaoqi_store::{SearchDoc, SearchKind, SearchQuery};
use xiaoqi_store_sql::SqlStore;

/// Name of the scratch database created on a PostgreSQL server.
const PG_DATABASE: &str = "xiaoqi_bench_search";
/// Documents per bulk insert (one transaction each).
const CHUNK: usize = 5_000;

/// Common words of job postings, most frequent first (drawn with a skew towards the front).
const COMMON_ZH: &[&str] = &[
    "工程师",
    "技术",
    "公司",
    "运营",
    "管理",
    "专员",
    "助理",
    "经验",
    "负责",
    "熟悉",
    "优先",
    "岗位",
    "培训",
    "服务",
    "销售",
    "设备",
    "生产",
    "质量",
    "项目",
    "客户",
    "能力",
    "团队",
    "开发",
    "设计",
    "维护",
    "操作",
    "检测",
    "安装",
    "调试",
    "维修",
    "实习",
    "学徒",
    "主管",
    "经理",
    "技术员",
    "操作工",
    "文员",
    "顾问",
    "讲师",
    "专业",
    "学生",
    "学校",
    "企业",
    "合作",
    "基地",
    "实训",
    "课程",
    "证书",
    "大专",
    "本科",
    "中专",
    "五险一金",
    "包吃住",
    "加班",
    "双休",
    "月薪",
    "年终奖",
    "提成",
    "晋升",
    "沟通",
    "责任心",
    "吃苦耐劳",
    "应届生",
    "男女不限",
    "工作地点",
    "长白班",
];

/// Vocational fields and skills, from broad to narrow.
const FIELDS_ZH: &[&str] = &[
    "电商",
    "物流",
    "会计",
    "护理",
    "数控",
    "焊接",
    "机电一体化",
    "跨境电商",
    "汽车维修",
    "新能源汽车",
    "工业机器人",
    "电气自动化",
    "模具设计",
    "钳工",
    "车工",
    "铣工",
    "电工",
    "焊工",
    "软件开发",
    "大数据",
    "云计算",
    "人工智能",
    "网络安全",
    "前端开发",
    "软件测试",
    "运维",
    "嵌入式",
    "单片机",
    "物联网",
    "无人机",
    "智能制造",
    "质量检测",
    "仓储管理",
    "冷链物流",
    "供应链",
    "采购",
    "市场营销",
    "直播带货",
    "短视频",
    "新媒体运营",
    "平面设计",
    "室内设计",
    "建筑工程",
    "工程造价",
    "土木工程",
    "工程测量",
    "园林绿化",
    "酒店管理",
    "旅游管理",
    "烹饪",
    "西式面点",
    "学前教育",
    "养老护理",
    "康复治疗",
    "药学",
    "医学检验",
    "口腔医学",
    "财务管理",
    "审计",
    "税务",
    "金融服务",
    "保险",
    "国际贸易",
    "报关",
    "商务英语",
    "应用日语",
    "法律事务",
    "人力资源",
    "行政管理",
    "文秘",
    "客户服务",
    "服装设计",
    "纺织",
    "印刷",
    "包装设计",
    "食品检测",
    "应用化工",
    "环境监测",
    "污水处理",
    "光伏发电",
    "风电运维",
    "储能",
    "锂电池",
    "半导体",
    "集成电路",
    "电子装配",
    "数控车床",
    "加工中心",
    "钣金",
    "喷涂",
    "机械装配",
    "叉车驾驶",
    "快递配送",
    "安防监控",
    "消防设施",
    "物业管理",
    "美容美发",
    "摄影摄像",
    "动画制作",
    "游戏开发",
    "影视后期",
    "体育健身",
    "电梯维保",
    "暖通空调",
    "给排水",
    "城市轨道交通",
    "铁道信号",
    "航空服务",
    "船舶驾驶",
    "港口物流",
    "农产品电商",
    "畜牧兽医",
    "茶艺",
    "中药",
    "针灸推拿",
    "眼视光",
    "助产",
    "婴幼儿托育",
    "家政服务",
    "会展策划",
    "广告设计",
    "数字媒体",
    "虚拟现实",
    "区块链",
    "工业互联网",
    "数字孪生",
    "精密测量",
    "激光加工",
    "增材制造",
    "液压与气动",
    "电机维修",
    "变电运维",
    "配电",
    "燃气",
    "锅炉",
    "起重",
    "焊缝检测",
    "无损检测",
];

/// English skills and role words.
const WORDS_EN: &[&str] = &[
    "engineer",
    "technician",
    "operator",
    "assistant",
    "manager",
    "intern",
    "developer",
    "designer",
    "analyst",
    "welding",
    "CNC",
    "PLC",
    "Python",
    "Java",
    "Linux",
    "Excel",
    "AutoCAD",
    "SolidWorks",
    "logistics",
    "accounting",
    "nursing",
    "e-commerce",
    "marketing",
    "English",
    "Japanese",
    "SMT",
    "MES",
    "ERP",
    "SAP",
    "Photoshop",
    "Android",
    "iOS",
    "Vue",
    "React",
    "MySQL",
    "Docker",
    "Kubernetes",
    "robot",
    "maintenance",
    "quality",
    "warehouse",
    "customer",
    "service",
    "sales",
    "training",
    "electrician",
    "mechatronics",
    "automotive",
    "battery",
    "solar",
];

/// Words for organisation names.
const ORG_WORDS: &[&str] = &[
    "智能",
    "科技",
    "电子",
    "机械",
    "精密",
    "自动化",
    "物流",
    "贸易",
    "网络",
    "信息",
    "新材料",
    "医疗",
    "汽车",
    "能源",
    "电气",
    "模具",
    "食品",
    "服饰",
    "家居",
    "光电",
    "通信",
    "软件",
    "数据",
    "环保",
    "建设",
    "教育",
    "文化",
    "供应链",
];

const ROLES_ZH: &[&str] = &[
    "工程师",
    "技术员",
    "操作工",
    "专员",
    "助理",
    "主管",
    "经理",
    "实习生",
    "学徒",
    "设计师",
    "分析师",
    "文员",
    "店长",
    "销售代表",
    "讲师",
    "组长",
    "质检员",
    "维修工",
    "储备干部",
    "客服专员",
];

/// Words that no document holds (queries that must come back empty, fast).
const ABSENT: &[&str] = &["量子纠缠", "火星基地", "zeppelin", "冰川考古", "深海采矿 机器人"];

/// A small deterministic generator (SplitMix64): the corpus and the queries depend on the seed only.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n > 0`).
    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % u64::try_from(n.max(1)).unwrap_or(1)).unwrap_or(0)
    }

    /// Skewed towards 0: index `n·u³` for a uniform `u`, so the first items are drawn far more
    /// often than the last.
    fn skewed(&mut self, n: usize) -> usize {
        let u = (self.next() >> 11) as f64 / (1u64 << 53) as f64;
        ((u * u * u) * n as f64) as usize % n.max(1)
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }

    fn pick_skewed<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.skewed(items.len())]
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

/// Names drawn from the embedded reference data.
struct Vocab {
    /// Occupation names and aliases (level 4).
    occupations: Vec<&'static str>,
    /// Short definitions of occupations, as body text.
    definitions: Vec<&'static str>,
    /// Short names of cities.
    cities: Vec<&'static str>,
}

impl Vocab {
    fn load() -> anyhow::Result<Vocab> {
        let occ = xiaoqi_refdata::occupations().map_err(|e| anyhow::anyhow!("occupations: {e}"))?;
        let mut occupations = Vec::new();
        let mut definitions = Vec::new();
        for o in occ.iter().filter(|o| o.level == 4) {
            occupations.push(o.name.as_str());
            occupations.extend(o.aliases.iter().map(String::as_str));
            if !o.definition.is_empty() {
                definitions.push(o.definition.as_str());
            }
        }
        let regions = xiaoqi_refdata::regions().map_err(|e| anyhow::anyhow!("regions: {e}"))?;
        let cities: Vec<&str> = regions
            .iter()
            .filter(|r| r.level == 2 && !r.short_name.is_empty())
            .map(|r| r.short_name.as_str())
            .collect();
        if occupations.is_empty() || definitions.is_empty() || cities.is_empty() {
            bail!("the embedded reference data is empty");
        }
        Ok(Vocab { occupations, definitions, cities })
    }
}

/// The `i`-th document of the corpus.
fn make_doc(rng: &mut Rng, v: &Vocab, i: usize) -> SearchDoc {
    let field = rng.pick_skewed(FIELDS_ZH);
    let field2 = rng.pick_skewed(FIELDS_ZH);
    let common = rng.pick_skewed(COMMON_ZH);
    let en = rng.pick_skewed(WORDS_EN);
    let city = rng.pick(&v.cities);
    let occupation = v.occupations[rng.skewed(v.occupations.len())];
    let role = rng.pick_skewed(ROLES_ZH);
    let ref_id = i64::try_from(i).unwrap_or(i64::MAX);
    let org_id = Some(i64::try_from(rng.below(50_000)).unwrap_or(0) + 1);
    let (kind, title, summary, body) = match rng.below(100) {
        0..=49 => (
            SearchKind::Demand,
            if rng.chance(50) { format!("{field}{role}") } else { format!("{occupation}（{city}）") },
            format!(
                "负责{field}与{field2}相关工作，熟悉{en}，{}年以上{common}经验优先；{city}，月薪{}-{}K",
                1 + rng.below(5),
                3 + rng.below(6),
                9 + rng.below(12)
            ),
            format!("{} {en} {}", v.definitions[rng.below(v.definitions.len())], rng.pick_skewed(WORDS_EN)),
        ),
        50..=64 => {
            let (a, b) = (rng.pick(ORG_WORDS), rng.pick(ORG_WORDS));
            (
                SearchKind::Org,
                format!("{city}{a}{b}有限公司"),
                format!("主营{field}、{field2}，提供{common}与{}岗位", occupation),
                format!("{city} {a} {b} Co., Ltd. {en} {}", rng.pick_skewed(WORDS_EN)),
            )
        }
        65..=74 => (
            SearchKind::Major,
            format!("{field}技术"),
            format!("{city}职业技术学院，培养{field2}、{occupation}等岗位的技术技能人才"),
            format!("Major in {en}; courses: {field2}, {common}"),
        ),
        75..=89 => (
            SearchKind::Service,
            format!("{field}{}", if rng.chance(50) { "实训基地" } else { "技术服务" }),
            format!("面向{city}企业提供{field2}培训、{common}与{occupation}认证"),
            format!("{en} training and consulting"),
        ),
        _ => (
            SearchKind::Team,
            format!("{field}{}团队", if rng.chance(50) { "教学" } else { "技术攻关" }),
            format!("承接{field2}项目，成员熟悉{en}与{occupation}"),
            format!("{city} team, {common}"),
        ),
    };
    let updated_at = 1_700_000_000_000 + ref_id * 1_000;
    SearchDoc { kind, ref_id, org_id, title, summary, body, updated_at }
}

/// A query and the kind of query it is (for the per-category figures).
fn make_query(rng: &mut Rng, v: &Vocab) -> (&'static str, String, Vec<SearchKind>) {
    match rng.below(100) {
        0..=14 => ("broad_zh", rng.pick(&COMMON_ZH[..20]).to_string(), vec![]),
        15..=29 => ("field_zh", rng.pick(FIELDS_ZH).to_string(), vec![]),
        30..=39 => ("occupation", v.occupations[rng.below(v.occupations.len())].to_string(), vec![]),
        40..=54 => ("two_words_zh", format!("{} {}", rng.pick(FIELDS_ZH), rng.pick(COMMON_ZH)), vec![]),
        55..=62 => ("two_fields_zh", format!("{} {}", rng.pick(FIELDS_ZH), rng.pick(FIELDS_ZH)), vec![]),
        63..=72 => ("english", rng.pick(WORDS_EN).to_string(), vec![]),
        73..=82 => ("mixed", format!("{} {}", rng.pick(WORDS_EN), rng.pick(ROLES_ZH)), vec![]),
        83..=87 => ("city_field", format!("{}{}", rng.pick(&v.cities), rng.pick(FIELDS_ZH)), vec![]),
        88..=94 => {
            let kind = SearchKind::ALL[rng.below(SearchKind::ALL.len())];
            ("with_kind", rng.pick(&FIELDS_ZH[..30]).to_string(), vec![kind])
        }
        95..=97 => ("absent", rng.pick(ABSENT).to_string(), vec![]),
        // A kind and a word that documents of that kind never hold, though both are common:
        // the planner, taking them as independent, expects many matches where there are none.
        _ => {
            let (kind, word) =
                [(SearchKind::Major, "月薪"), (SearchKind::Org, "培养"), (SearchKind::Demand, "承接")][rng.below(3)];
            ("cross_kind", word.to_string(), vec![kind])
        }
    }
}

/// Where the benchmark's database lives, and how to get rid of it.
enum Scratch {
    SqliteFile(PathBuf),
    Postgres { server: String },
}

impl Scratch {
    async fn create(url: Option<&str>) -> anyhow::Result<(Scratch, String)> {
        match url {
            None => {
                let path = std::env::temp_dir().join(format!("xiaoqi_bench_search_{}.db", std::process::id()));
                let scratch = Scratch::SqliteFile(path.clone());
                scratch.remove_files();
                Ok((scratch, format!("sqlite://{}", path.display())))
            }
            Some(u) if u.starts_with("postgres:") || u.starts_with("postgresql:") => {
                let db = xiaoqi_store_sql::admin::recreate_postgres_database(u, PG_DATABASE)
                    .await
                    .with_context(|| format!("creating {PG_DATABASE} on {}", xiaoqi_store_sql::redact_url(u)))?;
                Ok((Scratch::Postgres { server: u.to_string() }, db))
            }
            Some(u) => bail!(
                "--database-url must name a PostgreSQL server (the benchmark creates and drops the database \
                 {PG_DATABASE} there); without it a temporary SQLite file is used. Got {}",
                xiaoqi_store_sql::redact_url(u)
            ),
        }
    }

    fn remove_files(&self) {
        if let Scratch::SqliteFile(path) = self {
            for suffix in ["", "-wal", "-shm", "-journal"] {
                let mut p = path.clone().into_os_string();
                p.push(suffix);
                let _ = std::fs::remove_file(p);
            }
        }
    }

    async fn remove(self) -> anyhow::Result<()> {
        match self {
            Scratch::SqliteFile(_) => {
                self.remove_files();
                Ok(())
            }
            Scratch::Postgres { server } => xiaoqi_store_sql::admin::drop_postgres_database(&server, PG_DATABASE)
                .await
                .with_context(|| format!("dropping {PG_DATABASE}")),
        }
    }
}

/// The `p`-th percentile (0–100) of sorted durations, in milliseconds (nearest rank).
fn percentile_ms(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    let i = rank.clamp(1, sorted.len()) - 1;
    ms(sorted[i])
}

fn ms(d: Duration) -> f64 {
    (d.as_secs_f64() * 1e5).round() / 100.0
}

/// Builds a corpus of `docs` documents in a fresh database (a temporary SQLite file, or the
/// database `xiaoqi_bench_search` created on the PostgreSQL server of `url`), runs `queries`
/// queries (first page of 20 each) and returns the figures; the database is removed afterwards.
pub async fn run(url: Option<String>, docs: usize, queries: usize, seed: u64) -> anyhow::Result<serde_json::Value> {
    let vocab = Vocab::load()?;
    let (scratch, db_url) = Scratch::create(url.as_deref()).await?;
    let result = match SqlStore::open(&db_url, 2).await {
        Ok(store) => {
            let r = measure(&store, &vocab, docs, queries, seed).await;
            store.close().await;
            r
        }
        Err(e) => Err(anyhow::Error::new(e).context("opening the benchmark database")),
    };
    let removed = scratch.remove().await;
    let value = result?;
    removed?;
    Ok(value)
}

async fn measure(
    store: &SqlStore,
    v: &Vocab,
    docs: usize,
    queries: usize,
    seed: u64,
) -> anyhow::Result<serde_json::Value> {
    let backend = match store.backend() {
        xiaoqi_store::Backend::Sqlite => "sqlite",
        xiaoqi_store::Backend::Postgres => "postgres",
    };
    let mut c = store.conn().await.context("connection")?;

    let bar = indicatif::ProgressBar::new(u64::try_from(docs).unwrap_or(u64::MAX));
    bar.set_style(
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} documents indexed ({elapsed}, {eta} left)")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let started = Instant::now();
    let mut rng = Rng(seed);
    let mut next = 1;
    while next <= docs {
        let end = (next + CHUNK).min(docs + 1);
        let chunk: Vec<SearchDoc> = (next..end).map(|i| make_doc(&mut rng, v, i)).collect();
        c.bulk_insert_search_docs(&chunk).await.context("bulk insert")?;
        bar.inc(u64::try_from(chunk.len()).unwrap_or(0));
        next = end;
    }
    bar.set_message("optimising");
    c.optimize_search_index().await.context("optimising the index")?;
    bar.finish_and_clear();
    let build_seconds = started.elapsed().as_secs_f64();
    let indexed = c.count_search_docs().await.context("count")?;

    // Warm-up (dictionary, caches), not measured.
    let mut qrng = Rng(seed ^ 0x5EA4_C4B3_1C4E_0001);
    for _ in 0..queries.min(50) {
        let (_, text, kinds) = make_query(&mut qrng, v);
        c.search(&SearchQuery { text, kinds, page: PageRequest::default() }).await.context("warm-up query")?;
    }

    let mut qrng = Rng(seed ^ 0x5EA4_C4B3_1C4E_0002);
    let mut times = Vec::with_capacity(queries);
    let mut by_category: std::collections::BTreeMap<&str, Vec<Duration>> = std::collections::BTreeMap::new();
    let mut slowest: Vec<(Duration, String)> = Vec::new();
    let (mut hits, mut capped) = (0u64, 0u64);
    // FNV-1a over every query's total and hits, to compare the answers of two engines.
    let mut digest: u64 = 0xcbf2_9ce4_8422_2325;
    let mut feed = |x: i64| {
        for b in x.to_le_bytes() {
            digest = (digest ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    };
    for _ in 0..queries {
        let (category, text, kinds) = make_query(&mut qrng, v);
        let q = SearchQuery { text, kinds, page: PageRequest::default() };
        let t = Instant::now();
        let r = c.search(&q).await.with_context(|| format!("query {:?}", q.text))?;
        let d = t.elapsed();
        times.push(d);
        by_category.entry(category).or_default().push(d);
        slowest
            .push((d, format!("{} [{}] total={}{}", q.text, category, r.total, if r.total_capped { "+" } else { "" })));
        hits += u64::try_from(r.hits.len()).unwrap_or(0);
        feed(i64::try_from(r.total).unwrap_or(-1) * if r.total_capped { -1 } else { 1 });
        for h in &r.hits {
            feed(h.ref_id);
        }
        capped += u64::from(r.total_capped);
    }
    drop(c);
    times.sort();
    slowest.sort_by_key(|s| std::cmp::Reverse(s.0));
    let categories: serde_json::Map<String, serde_json::Value> = by_category
        .into_iter()
        .map(|(k, mut ds)| {
            ds.sort();
            (
                k.to_string(),
                json!({"n": ds.len(), "p50_ms": percentile_ms(&ds, 50.0), "p95_ms": percentile_ms(&ds, 95.0)}),
            )
        })
        .collect();
    let n = queries.max(1) as f64;
    Ok(json!({
        "backend": backend,
        "docs": indexed,
        "build_seconds": (build_seconds * 10.0).round() / 10.0,
        "queries": queries,
        "p50_ms": percentile_ms(&times, 50.0),
        "p95_ms": percentile_ms(&times, 95.0),
        "p99_ms": percentile_ms(&times, 99.0),
        "max_ms": times.last().map(|d| ms(*d)).unwrap_or(0.0),
        "mean_hits": (hits as f64 / n * 100.0).round() / 100.0,
        "capped_share": (capped as f64 / n * 1000.0).round() / 1000.0,
        "hits_digest": format!("{digest:016x}"),
        "by_category": categories,
        "slowest": slowest.iter().take(5).map(|(d, q)| format!("{} ms: {q}", ms(*d))).collect::<Vec<_>>(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_corpus_is_deterministic_for_a_seed() {
        let Ok(v) = Vocab::load() else { panic!("reference data") };
        let (mut a, mut b) = (Rng(7), Rng(7));
        for i in 1..200 {
            assert_eq!(make_doc(&mut a, &v, i), make_doc(&mut b, &v, i));
        }
        let (mut a, mut b) = (Rng(7), Rng(7));
        for _ in 0..200 {
            assert_eq!(make_query(&mut a, &v), make_query(&mut b, &v));
        }
    }

    #[test]
    fn percentiles_use_the_nearest_rank() {
        let ds: Vec<Duration> = (1..=100).map(Duration::from_millis).collect();
        assert_eq!(percentile_ms(&ds, 50.0), 50.0);
        assert_eq!(percentile_ms(&ds, 95.0), 95.0);
        assert_eq!(percentile_ms(&ds, 100.0), 100.0);
        assert_eq!(percentile_ms(&[], 95.0), 0.0);
    }

    /// A small run on SQLite, so the whole path stays working.
    #[tokio::test]
    async fn a_small_benchmark_runs_on_sqlite() {
        let r = run(None, 3_000, 50, 1).await.unwrap_or_else(|e| panic!("bench: {e:#}"));
        assert_eq!(r["backend"], "sqlite");
        assert_eq!(r["docs"], 3_000);
        assert!(r["mean_hits"].as_f64().unwrap_or(0.0) > 1.0, "{r}");
    }

    /// The full benchmark, run by hand in release mode:
    /// `XIAOQI_BENCH_DOCS=1000000 [XIAOQI_BENCH_URL=postgres://…] cargo test --release -p xiaoqi
    /// bench_search::tests::full -- --ignored --nocapture`.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    #[ignore = "takes minutes; run by hand"]
    async fn full() {
        let env = |k: &str| std::env::var(k).ok().filter(|s| !s.is_empty());
        let docs = env("XIAOQI_BENCH_DOCS").and_then(|s| s.parse().ok()).unwrap_or(1_000_000);
        let queries = env("XIAOQI_BENCH_QUERIES").and_then(|s| s.parse().ok()).unwrap_or(1_000);
        let r = run(env("XIAOQI_BENCH_URL"), docs, queries, 42).await.unwrap_or_else(|e| panic!("bench: {e:#}"));
        println!("{}", serde_json::to_string_pretty(&r).unwrap_or_default());
    }
}
