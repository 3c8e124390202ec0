//! The load driver: every request signed before the run (so the timed part is the exchange and
//! the reading of the answer, not the client's RSA-PSS or HMAC work), workers that each send
//! their share one after another, and the statistics of their latencies.

use std::time::{Duration, Instant};

use amazon_pay_protocol::client::{
    DEFAULT_CONNECT_TIMEOUT, DEFAULT_REQUEST_TIMEOUT, HttpRequest, HttpResponse, ReqwestTransport,
    Transport as _, TransportError,
};
use amazon_pay_protocol::endpoint::{Clock as _, Endpoint, SystemClock};
use amazon_pay_protocol::protocol::{Call, Protocol, SignError};

/// A request signed before the run, and how its answer is read.
pub struct Prepared {
    request: HttpRequest,
    /// Reads the answer into the operation's typed result, as the client does: `true` for
    /// its success document.
    read: fn(&HttpResponse) -> bool,
    write: bool,
}

impl Prepared {
    /// Signs `call` of protocol `P` now (`key`: the idempotency key the client would make).
    pub fn sign<P: Protocol, O: Call<P>>(
        call: &O,
        credentials: &P::Credentials,
        endpoint: &Endpoint,
        key: Option<&str>,
        write: bool,
    ) -> Result<Prepared, SignError> {
        Ok(Prepared {
            request: call.sign(credentials, endpoint, SystemClock.now(), key)?,
            read: |response| O::read(response).is_ok(),
            write,
        })
    }
}

/// The requests of one run, per worker, and what signing them took (not part of the run).
pub struct Plan {
    workers: Vec<Vec<Prepared>>,
    signing: Duration,
}

impl Plan {
    /// The plan cut into `rounds` plans, each with a share of every worker's requests, in
    /// order; the signing time goes with the first.
    pub fn rounds(self, rounds: usize) -> Vec<Plan> {
        let rounds = rounds.max(1);
        let mut cut: Vec<Plan> = (0..rounds)
            .map(|_| Plan {
                workers: Vec::new(),
                signing: Duration::ZERO,
            })
            .collect();
        cut[0].signing = self.signing;
        for requests in self.workers {
            let share = requests.len().div_ceil(rounds);
            let mut requests = requests.into_iter();
            for plan in &mut cut {
                plan.workers.push(requests.by_ref().take(share).collect());
            }
        }
        cut
    }
}

/// Signs the requests of a run: `requests` split evenly over `workers`, every
/// `write_every`th of each worker's a write (0: none); `request(worker, i, write)` signs one.
pub fn plan<E>(
    workers: u64,
    requests: u64,
    write_every: u64,
    mut request: impl FnMut(u64, u64, bool) -> Result<Prepared, E>,
) -> Result<Plan, E> {
    let per_worker = requests / workers.max(1);
    let started = Instant::now();
    let workers = (0..workers)
        .map(|worker| {
            (0..per_worker)
                .map(|i| request(worker, i, write_every > 0 && i % write_every == 0))
                .collect()
        })
        .collect::<Result<_, _>>()?;
    Ok(Plan {
        workers,
        signing: started.elapsed(),
    })
}

/// The first answer of each kind the target gave with success: what the bare baseline server
/// answers, so that both send the same bytes back.
#[derive(Default)]
pub struct Answers {
    pub read: Option<HttpResponse>,
    pub write: Option<HttpResponse>,
}

/// What one run measured.
pub struct Stats {
    /// Each exchange: sending the signed request, receiving and reading the answer.
    latencies: Vec<Duration>,
    /// From the first request sent to the last answer read, over all workers.
    elapsed: Duration,
    signing: Duration,
    /// The CPU time the process used over the run (client and server, all threads), where the
    /// system tells it: on a shared machine, a figure that other processes do not move.
    cpu: Option<Duration>,
    pub errors: u64,
    pub answers: Answers,
    /// Each added round's own requests per second, in the order of the rounds.
    round_rates: Vec<f64>,
}

/// No requests yet: the sum of no rounds (its CPU time known, zero).
impl Default for Stats {
    fn default() -> Stats {
        Stats {
            latencies: Vec::new(),
            elapsed: Duration::ZERO,
            signing: Duration::ZERO,
            cpu: Some(Duration::ZERO),
            errors: 0,
            answers: Answers::default(),
            round_rates: Vec::new(),
        }
    }
}

impl Stats {
    /// Adds a later round of the same target: its requests, time, CPU and errors.
    pub fn add(&mut self, round: Stats) {
        self.round_rates.push(round.per_second());
        self.latencies.extend(round.latencies);
        self.latencies.sort();
        self.elapsed += round.elapsed;
        self.signing += round.signing;
        self.cpu = self.cpu.zip(round.cpu).map(|(a, b)| a + b);
        self.errors += round.errors;
        self.answers.read = self.answers.read.take().or(round.answers.read);
        self.answers.write = self.answers.write.take().or(round.answers.write);
    }

    pub fn per_second(&self) -> f64 {
        self.latencies.len() as f64 / self.elapsed.as_secs_f64()
    }

    /// Round by round, this target's throughput over `other`'s in the same turn (the two ran
    /// a moment apart, so each is a comparison of its own): the lowest and the highest.
    pub fn round_ratios(&self, other: &Stats) -> Option<(f64, f64)> {
        let ratios = self
            .round_rates
            .iter()
            .zip(&other.round_rates)
            .map(|(ours, theirs)| ours / theirs);
        ratios.fold(None, |range, r| match range {
            None => Some((r, r)),
            Some((low, high)) => Some((r.min(low), r.max(high))),
        })
    }

    pub fn p99(&self) -> Duration {
        self.percentile(0.99)
    }

    pub fn percentile(&self, p: f64) -> Duration {
        let last = self.latencies.len().saturating_sub(1);
        let at = ((self.latencies.len() as f64 * p) as usize).min(last);
        self.latencies.get(at).copied().unwrap_or_default()
    }

    /// CPU time per request, in microseconds.
    pub fn cpu_per_request(&self) -> Option<f64> {
        let requests = self.latencies.len().max(1) as f64;
        self.cpu.map(|cpu| cpu.as_secs_f64() * 1e6 / requests)
    }

    pub fn print(&self, target: &str, mix: &str, concurrency: u64) {
        let cpu = self
            .cpu_per_request()
            .map_or(String::new(), |us| format!("; CPU {us:.0} µs per request"));
        println!(
            "{target}: {} requests ({concurrency} in flight, {mix}) in {:.2} s: {:.0} req/s; \
             latency p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms{cpu}; {} errors \
             (signed beforehand in {:.2} s, not counted)",
            self.latencies.len(),
            self.elapsed.as_secs_f64(),
            self.per_second(),
            ms(self.percentile(0.50)),
            ms(self.p99()),
            ms(self.percentile(1.0)),
            self.errors,
            self.signing.as_secs_f64(),
        );
    }
}

pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// The client side of every run: the library's default transport (reqwest, pooled
/// connections), the same for the simulator and the baseline.
pub fn transport() -> Result<ReqwestTransport, TransportError> {
    ReqwestTransport::new(DEFAULT_CONNECT_TIMEOUT)
}

/// What one worker measured.
struct Worked {
    latencies: Vec<Duration>,
    errors: u64,
    answers: Answers,
}

async fn work(transport: ReqwestTransport, requests: Vec<Prepared>) -> Worked {
    let mut worked = Worked {
        latencies: Vec::with_capacity(requests.len()),
        errors: 0,
        answers: Answers::default(),
    };
    for prepared in requests {
        let t = Instant::now();
        let answer = transport
            .send(prepared.request, DEFAULT_REQUEST_TIMEOUT)
            .await
            .ok()
            .filter(prepared.read);
        worked.latencies.push(t.elapsed());
        let first = match prepared.write {
            true => &mut worked.answers.write,
            false => &mut worked.answers.read,
        };
        match answer {
            Some(answer) if first.is_none() => *first = Some(answer),
            Some(_) => {}
            None => worked.errors += 1,
        }
    }
    worked
}

/// Sends the plan, each worker's requests one after another, all workers at once, and
/// collects their latencies.
pub async fn drive(
    transport: &ReqwestTransport,
    plan: Plan,
) -> Result<Stats, tokio::task::JoinError> {
    let started = Instant::now();
    let cpu_before = cpu_time();
    let tasks: Vec<_> = plan
        .workers
        .into_iter()
        .map(|requests| tokio::spawn(work(transport.clone(), requests)))
        .collect();
    let mut stats = Stats {
        signing: plan.signing,
        ..Stats::default()
    };
    for task in tasks {
        let worked = task.await?;
        stats.latencies.extend(worked.latencies);
        stats.errors += worked.errors;
        stats.answers.read = stats.answers.read.or(worked.answers.read);
        stats.answers.write = stats.answers.write.or(worked.answers.write);
    }
    stats.elapsed = started.elapsed();
    stats.cpu = cpu_before
        .zip(cpu_time())
        .map(|(before, after)| after.saturating_sub(before));
    stats.latencies.sort();
    Ok(stats)
}

/// The CPU time this process has used, user and system, all threads: Linux's
/// `/proc/self/stat` (fields 14 and 15, in ticks of USER_HZ, which is 100); `None` elsewhere.
fn cpu_time() -> Option<Duration> {
    const TICKS_PER_SECOND: u64 = 100;
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The command name (field 2) is in parentheses and may hold spaces: count after it.
    let (_, after_name) = stat.rsplit_once(')')?;
    let mut fields = after_name.split_whitespace().skip(11);
    let user: u64 = fields.next()?.parse().ok()?;
    let system: u64 = fields.next()?.parse().ok()?;
    Some(Duration::from_millis(
        (user + system) * 1000 / TICKS_PER_SECOND,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A plan whose requests say in their URL whose and which they are.
    fn numbered_plan(workers: u64, requests: u64) -> Plan {
        let mut plan = plan(workers, requests, 0, |worker, i, write| {
            Ok::<_, ()>(Prepared {
                request: HttpRequest {
                    method: "GET".into(),
                    url: format!("http://127.0.0.1/{worker}/{i}"),
                    headers: Vec::new(),
                    body: Vec::new(),
                },
                read: |_| true,
                write,
            })
        })
        .unwrap();
        plan.signing = Duration::from_secs(1);
        plan
    }

    #[test]
    fn rounds_share_every_workers_requests_in_order_and_lose_none() {
        let rounds = numbered_plan(3, 30).rounds(4);
        assert_eq!(rounds.len(), 4);
        assert_eq!(rounds[0].signing, Duration::from_secs(1));
        assert!(rounds[1..].iter().all(|r| r.signing.is_zero()));
        for worker in 0..3 {
            let urls: Vec<&str> = rounds
                .iter()
                .flat_map(|r| &r.workers[worker])
                .map(|p| p.request.url.as_str())
                .collect();
            let expected: Vec<String> = (0..10)
                .map(|i| format!("http://127.0.0.1/{worker}/{i}"))
                .collect();
            assert_eq!(urls, expected);
            // Ten requests in four rounds: three, three, three, one.
            let sizes: Vec<usize> = rounds.iter().map(|r| r.workers[worker].len()).collect();
            assert_eq!(sizes, [3, 3, 3, 1]);
        }
    }

    #[test]
    fn rounds_of_a_target_add_up() {
        let round = |ms: u64, cpu: Option<u64>, errors: u64| Stats {
            latencies: vec![Duration::from_millis(ms); 2],
            elapsed: Duration::from_secs(1),
            cpu: cpu.map(Duration::from_millis),
            errors,
            ..Stats::default()
        };
        let mut total = Stats::default();
        total.add(round(3, Some(10), 1));
        total.add(round(1, Some(5), 0));
        assert_eq!(total.per_second(), 2.0);
        assert_eq!(total.percentile(0.0), Duration::from_millis(1));
        assert_eq!(total.cpu, Some(Duration::from_millis(15)));
        assert_eq!(total.errors, 1);
        // A round the system gave no CPU time for leaves the total unknown.
        total.add(round(2, None, 0));
        assert_eq!(total.cpu, None);

        // Round by round against another target: 2 over 4, then 2 over 1, then 2 over 2.
        let mut other = Stats::default();
        for seconds in [1, 4, 2] {
            other.add(Stats {
                latencies: vec![Duration::from_millis(1); 4],
                elapsed: Duration::from_secs(seconds),
                ..Stats::default()
            });
        }
        assert_eq!(total.round_ratios(&other), Some((0.5, 2.0)));
        assert_eq!(total.round_ratios(&Stats::default()), None);
    }
}
