//! Runs the allocation bench and prints its JSON report:
//! `cargo run --release -p xiaoqi-alloc --example allocate -- [students] [positions] [prefs] [seed]`.

fn main() {
    let args: Vec<u64> = std::env::args().skip(1).filter_map(|a| a.replace('_', "").parse().ok()).collect();
    let arg = |i: usize, default: u64| args.get(i).copied().unwrap_or(default);
    let report = xiaoqi_alloc::run_allocate_bench(
        arg(0, 100_000) as usize,
        arg(1, 10_000) as usize,
        arg(2, 10) as usize,
        arg(3, 42),
    );
    match serde_json::to_string_pretty(&report) {
        Ok(json) => println!("{json}"),
        Err(e) => eprintln!("cannot print the report: {e}"),
    }
}
