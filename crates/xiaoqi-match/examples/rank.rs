//! Runs the ranking bench and prints its JSON report:
//! `cargo run --release -p xiaoqi-match --example rank -- [profiles] [seed] [repeats]`.

fn main() {
    let args: Vec<u64> = std::env::args().skip(1).filter_map(|a| a.replace('_', "").parse().ok()).collect();
    let arg = |i: usize, default: u64| args.get(i).copied().unwrap_or(default);
    let report = xiaoqi_match::bench::run_rank_bench(arg(0, 1_000_000) as usize, arg(1, 42), arg(2, 11) as usize);
    match serde_json::to_string_pretty(&report) {
        Ok(json) => println!("{json}"),
        Err(e) => eprintln!("cannot print the report: {e}"),
    }
}
