//! The speed floor for `feltsense analyze`: the same CSV reader (`csv`
//! crate, byte records) reading every record of a file and doing nothing
//! else, on one thread. Used by `bench/analyze.sh`.
//!
//! `cargo run --release --example csv_baseline -- DATA.csv`

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .ok_or("usage: csv_baseline DATA.csv")?;
    let started = std::time::Instant::now();
    let file = std::fs::File::open(&path)?;
    let bytes = file.metadata()?.len();
    let mut reader = csv::ReaderBuilder::new()
        .buffer_capacity(1 << 20)
        .from_reader(file);
    let mut record = csv::ByteRecord::new();
    let mut records = 0u64;
    let mut fields = 0u64;
    while reader.read_byte_record(&mut record)? {
        records += 1;
        fields += record.len() as u64;
    }
    let secs = started.elapsed().as_secs_f64();
    eprintln!(
        "{records} records, {fields} fields, {:.2} s, {:.0} MB/s",
        secs,
        bytes as f64 / 1e6 / secs
    );
    Ok(())
}
