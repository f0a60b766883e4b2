//! A constant-rate HTTP/1.1 load generator on plain threads and sockets, for the requests oha
//! cannot make: oha sends the same headers with every request, but each submission needs its own
//! `Idempotency-Key` (a repeated key is a replay, not a new case), and case reads should spread over
//! many cases, each opened by its own bearer token.
//!
//! Open loop, like oha's `-q` with `--latency-correction`: request `i` is due at `start + i / rate`
//! and its latency is measured from that due time, not from when a connection was free to send
//! it, so a server that falls behind shows its queueing instead of hiding it.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Makes the raw bytes of request number `i`.
pub type MakeRequest = Arc<dyn Fn(usize) -> Vec<u8> + Send + Sync>;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Outcome {
    pub sent: usize,
    /// 2xx answers.
    pub ok: usize,
    /// Other statuses, refused or broken connections, timeouts.
    pub errors: usize,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub p999_ms: f64,
    pub max_ms: f64,
    /// Answers per second over the whole run, including the wait for the last ones.
    pub achieved_rps: f64,
}

/// Percentile `p` (0..=1) of sorted samples, nearest rank.
pub fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = (p * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// Sends `rate` requests a second for `seconds` to `addr` over up to `connections` kept-alive
/// connections.
pub fn run(
    addr: SocketAddr,
    rate: f64,
    seconds: f64,
    connections: usize,
    make: MakeRequest,
) -> Outcome {
    let total = (rate * seconds).round().max(1.0) as usize;
    let next = Arc::new(AtomicUsize::new(0));
    let samples = Arc::new(Mutex::new(Vec::with_capacity(total)));
    let start = Instant::now() + Duration::from_millis(50);
    let workers: Vec<_> = (0..connections.max(1))
        .map(|_| {
            let (next, samples, make) = (next.clone(), samples.clone(), make.clone());
            std::thread::Builder::new()
                .stack_size(256 * 1024)
                .spawn(move || {
                    let mut connection: Option<BufReader<TcpStream>> = None;
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        if i >= total {
                            break;
                        }
                        let due = start + Duration::from_secs_f64(i as f64 / rate);
                        let now = Instant::now();
                        if due > now {
                            std::thread::sleep(due - now);
                        }
                        let request = make(i);
                        let ok = exchange(&mut connection, addr, &request)
                            .is_ok_and(|status| (200..300).contains(&status));
                        mine.push((due.elapsed().as_secs_f64() * 1e3, ok));
                    }
                    samples.lock().expect("no worker panics").extend(mine);
                })
                .expect("threads can be started")
        })
        .collect();
    for worker in workers {
        let _ = worker.join();
    }
    let elapsed = start.elapsed().as_secs_f64();
    let samples = samples.lock().expect("no worker panics");
    let ok = samples.iter().filter(|(_, ok)| *ok).count();
    let mut ms: Vec<f64> = samples.iter().map(|(ms, _)| *ms).collect();
    ms.sort_by(f64::total_cmp);
    Outcome {
        sent: samples.len(),
        ok,
        errors: samples.len() - ok,
        p50_ms: percentile(&ms, 0.5),
        p99_ms: percentile(&ms, 0.99),
        p999_ms: percentile(&ms, 0.999),
        max_ms: ms.last().copied().unwrap_or(0.0),
        achieved_rps: ok as f64 / elapsed.max(1e-9),
    }
}

/// One request and its answer on a kept-alive connection (opened if needed); the status code.
fn exchange(
    connection: &mut Option<BufReader<TcpStream>>,
    addr: SocketAddr,
    request: &[u8],
) -> std::io::Result<u16> {
    if connection.is_none() {
        let stream = TcpStream::connect_timeout(&addr, Duration::from_secs(10))?;
        stream.set_nodelay(true)?;
        stream.set_read_timeout(Some(Duration::from_secs(30)))?;
        *connection = Some(BufReader::with_capacity(64 * 1024, stream));
    }
    let reader = connection.as_mut().expect("just opened");
    let result = reader
        .get_mut()
        .write_all(request)
        .and_then(|()| read_response(reader));
    match result {
        Ok((status, keep_alive)) => {
            if !keep_alive {
                *connection = None;
            }
            Ok(status)
        }
        Err(e) => {
            *connection = None;
            Err(e)
        }
    }
}

fn invalid(what: &str) -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::InvalidData, what.to_owned())
}

/// Reads one response (Content-Length or chunked body); its status and whether the connection
/// stays open.
pub fn read_response(reader: &mut impl BufRead) -> std::io::Result<(u16, bool)> {
    let mut line = String::new();
    if reader.read_line(&mut line)? == 0 {
        return Err(invalid("connection closed"));
    }
    let status: u16 = line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| invalid("no status line"))?;
    let (mut length, mut chunked, mut keep_alive) = (None, false, true);
    loop {
        line.clear();
        if reader.read_line(&mut line)? == 0 {
            return Err(invalid("headers cut short"));
        }
        let header = line.trim_end();
        if header.is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':') {
            let value = value.trim();
            match name.to_ascii_lowercase().as_str() {
                "content-length" => length = value.parse::<u64>().ok(),
                "transfer-encoding" => chunked = value.eq_ignore_ascii_case("chunked"),
                "connection" => keep_alive = !value.eq_ignore_ascii_case("close"),
                _ => {}
            }
        }
    }
    if chunked {
        loop {
            line.clear();
            reader.read_line(&mut line)?;
            let size = u64::from_str_radix(line.trim().split(';').next().unwrap_or(""), 16)
                .map_err(|_| invalid("bad chunk size"))?;
            std::io::copy(&mut reader.take(size + 2), &mut std::io::sink())?;
            if size == 0 {
                break;
            }
        }
    } else if let Some(length) = length {
        std::io::copy(&mut reader.take(length), &mut std::io::sink())?;
    }
    Ok((status, keep_alive))
}

/// The bytes of a request to 127.0.0.1.
pub fn request(method: &str, path: &str, headers: &[(&str, &str)], body: &str) -> Vec<u8> {
    let mut text = format!("{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    for (name, value) in headers {
        text.push_str(&format!("{name}: {value}\r\n"));
    }
    if !body.is_empty() || method == "POST" {
        text.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    text.push_str("\r\n");
    text.push_str(body);
    text.into_bytes()
}

/// The median of each figure over several runs (`errors` summed: one failed request counts).
pub fn median(runs: &[Outcome]) -> Outcome {
    let mid = |f: fn(&Outcome) -> f64| {
        let mut v: Vec<f64> = runs.iter().map(f).collect();
        v.sort_by(f64::total_cmp);
        v.get(v.len() / 2).copied().unwrap_or(0.0)
    };
    Outcome {
        sent: runs.iter().map(|r| r.sent).sum(),
        ok: runs.iter().map(|r| r.ok).sum(),
        errors: runs.iter().map(|r| r.errors).sum(),
        p50_ms: mid(|r| r.p50_ms),
        p99_ms: mid(|r| r.p99_ms),
        p999_ms: mid(|r| r.p999_ms),
        max_ms: mid(|r| r.max_ms),
        achieved_rps: mid(|r| r.achieved_rps),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_use_the_nearest_rank() {
        let v: Vec<f64> = (1..=1000).map(f64::from).collect();
        assert_eq!(percentile(&v, 0.5), 500.0);
        assert_eq!(percentile(&v, 0.99), 990.0);
        assert_eq!(percentile(&v, 0.999), 999.0);
        assert_eq!(percentile(&[], 0.99), 0.0);
    }

    #[test]
    fn responses_with_length_or_chunks_are_read_to_their_end() {
        let two = b"HTTP/1.1 201 Created\r\ncontent-length: 2\r\n\r\n{}\
HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n3\r\nabc\r\n0\r\n\r\n";
        let mut reader = BufReader::new(&two[..]);
        assert_eq!(read_response(&mut reader).unwrap(), (201, true));
        assert_eq!(read_response(&mut reader).unwrap(), (200, false));
        assert!(read_response(&mut reader).is_err(), "nothing more to read");
    }

    #[test]
    fn a_constant_rate_run_measures_from_the_due_time() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                std::thread::spawn(move || {
                    let mut reader = BufReader::new(stream.try_clone().unwrap());
                    let mut stream = stream;
                    let mut line = String::new();
                    loop {
                        line.clear();
                        if reader.read_line(&mut line).unwrap_or(0) == 0 {
                            return;
                        }
                        if line == "\r\n" {
                            let _ =
                                stream.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n");
                        }
                    }
                });
            }
        });
        let make: MakeRequest = Arc::new(|_| request("GET", "/", &[], ""));
        let outcome = run(addr, 200.0, 0.5, 4, make);
        assert_eq!((outcome.sent, outcome.errors), (100, 0));
        assert!(outcome.p50_ms < outcome.max_ms + 1e-9);
    }
}
