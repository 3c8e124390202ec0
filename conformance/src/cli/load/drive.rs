//! The load driver: workers that each run their share of the requests one after another, and
//! the statistics of their latencies.

use std::future::Future;
use std::time::{Duration, Instant};

/// One worker of a load run: what it sends for request `i` (`write`: one of the mix's
/// authorizations), and whether it succeeded.
pub trait Worker: Send + Sync + 'static {
    fn call(&self, i: u64, write: bool) -> impl Future<Output = bool> + Send;
}

/// What one run measured.
pub struct Stats {
    latencies: Vec<Duration>,
    elapsed: Duration,
    pub errors: u64,
}

impl Stats {
    pub fn per_second(&self) -> f64 {
        self.latencies.len() as f64 / self.elapsed.as_secs_f64()
    }

    fn percentile(&self, p: f64) -> Duration {
        let last = self.latencies.len().saturating_sub(1);
        let at = ((self.latencies.len() as f64 * p) as usize).min(last);
        self.latencies.get(at).copied().unwrap_or_default()
    }

    pub fn print(&self, target: &str, mix: &str, concurrency: u64) {
        println!(
            "{target}: {} signed requests ({concurrency} concurrent, {mix}) in {:.2} s: {:.0} req/s; latency p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms; {} errors",
            self.latencies.len(),
            self.elapsed.as_secs_f64(),
            self.per_second(),
            ms(self.percentile(0.50)),
            ms(self.percentile(0.99)),
            ms(self.percentile(1.0)),
            self.errors
        );
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Runs `requests` calls split evenly over the workers (every `write_every`th of each
/// worker's a write; 0: none) and collects their latencies.
pub async fn drive<W: Worker>(
    workers: Vec<W>,
    requests: u64,
    write_every: u64,
) -> Result<Stats, tokio::task::JoinError> {
    let per_worker = requests / (workers.len() as u64).max(1);
    let started = Instant::now();
    let tasks: Vec<_> = workers
        .into_iter()
        .map(|worker| {
            tokio::spawn(async move {
                let mut latencies = Vec::with_capacity(per_worker as usize);
                let mut errors = 0u64;
                for i in 0..per_worker {
                    let write = write_every > 0 && i % write_every == 0;
                    let t = Instant::now();
                    let ok = worker.call(i, write).await;
                    latencies.push(t.elapsed());
                    errors += u64::from(!ok);
                }
                (latencies, errors)
            })
        })
        .collect();
    let mut latencies: Vec<Duration> = Vec::new();
    let mut errors = 0;
    for task in tasks {
        let (l, e) = task.await?;
        latencies.extend(l);
        errors += e;
    }
    let elapsed = started.elapsed();
    latencies.sort();
    Ok(Stats {
        latencies,
        elapsed,
        errors,
    })
}
