//! Who the client is, for the per-address limits: the socket's peer, or — only when that peer is
//! one of the operator's trusted proxies (`--trusted-proxies`) — the address the proxies
//! forwarded. The forwarding header is read from the right, skipping trusted hops: entries to the
//! left of the first untrusted address were written by the client and prove nothing.

use std::fmt;
use std::net::{IpAddr, SocketAddr};
use std::str::FromStr;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::HeaderMap;
use axum::http::request::Parts;

use crate::app::AppState;
use crate::error::AppError;

/// A network in CIDR notation (`10.0.0.0/8`, `2001:db8::/32`); a bare address is one host.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Cidr {
    network: IpAddr,
    prefix: u8,
}

impl Cidr {
    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.network, ip.to_canonical()) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                masked(u32::from(net).into(), self.prefix, 32)
                    == masked(u32::from(ip).into(), self.prefix, 32)
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                masked(u128::from(net), self.prefix, 128)
                    == masked(u128::from(ip), self.prefix, 128)
            }
            _ => false,
        }
    }
}

/// The top `prefix` bits of a `width`-bit address.
fn masked(bits: u128, prefix: u8, width: u8) -> u128 {
    let host_bits = u32::from(width - prefix);
    bits.checked_shr(host_bits)
        .unwrap_or(0)
        .checked_shl(host_bits)
        .unwrap_or(0)
}

impl FromStr for Cidr {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let text = text.trim();
        let (address, prefix) = match text.split_once('/') {
            Some((address, prefix)) => (address, Some(prefix)),
            None => (text, None),
        };
        let network = address
            .parse::<IpAddr>()
            .map_err(|_| format!("{text:?} is not an address or a network like 10.0.0.0/8"))?
            .to_canonical();
        let width = if network.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => width,
            Some(p) => p
                .parse::<u8>()
                .ok()
                .filter(|p| *p <= width)
                .ok_or_else(|| format!("{text:?}: the prefix length must be 0 to {width}"))?,
        };
        Ok(Self { network, prefix })
    }
}

impl fmt::Display for Cidr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.network, self.prefix)
    }
}

impl fmt::Debug for Cidr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// Which header the trusted proxies write the client's address into.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum ForwardedHeader {
    /// `X-Forwarded-For: client, proxy1, …` (nginx, HAProxy `forwardfor`, most load balancers).
    #[default]
    XForwardedFor,
    /// RFC 7239 `Forwarded: for=client, for=proxy1` (HAProxy `option forwarded`, Envoy).
    Forwarded,
}

/// The proxies whose forwarding header is believed. Empty (the default): none, every limit keys
/// on the socket's peer.
#[derive(Clone, Debug, Default)]
pub struct TrustedProxies {
    pub networks: Vec<Cidr>,
    /// Only this header is read: a proxy that appends to one passes the other through from the
    /// client untouched, so believing both would let a client name itself.
    pub header: ForwardedHeader,
}

/// Hops walked at most: a longer chain is refused as the proxy's own address.
const MAX_HOPS: usize = 32;

impl TrustedProxies {
    fn trusts(&self, ip: IpAddr) -> bool {
        self.networks.iter().any(|cidr| cidr.contains(ip))
    }

    /// The client's address: the peer, or the rightmost untrusted hop the trusted proxies
    /// forwarded. A hop that does not name an address (`unknown`, an obfuscated name) stops the
    /// walk at the last trusted proxy.
    pub fn client(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        let mut client = peer.to_canonical();
        if !self.trusts(client) {
            return client;
        }
        let hops = match self.header {
            ForwardedHeader::XForwardedFor => x_forwarded_for(headers),
            ForwardedHeader::Forwarded => forwarded_for(headers),
        };
        for hop in hops.iter().rev().take(MAX_HOPS) {
            let Some(ip) = hop else {
                return client;
            };
            client = ip.to_canonical();
            if !self.trusts(client) {
                return client;
            }
        }
        client
    }
}

/// Every line's comma-separated entries, in order.
fn header_entries<'a>(headers: &'a HeaderMap, name: &str) -> impl Iterator<Item = &'a str> {
    headers
        .get_all(name)
        .iter()
        .flat_map(|line| line.to_str().unwrap_or("unknown").split(','))
        .map(str::trim)
}

fn x_forwarded_for(headers: &HeaderMap) -> Vec<Option<IpAddr>> {
    header_entries(headers, "x-forwarded-for")
        .map(node_address)
        .collect()
}

/// The `for=` of each element of RFC 7239 `Forwarded`; an element without one names nobody.
fn forwarded_for(headers: &HeaderMap) -> Vec<Option<IpAddr>> {
    header_entries(headers, "forwarded")
        .map(|element| {
            element
                .split(';')
                .filter_map(|pair| pair.split_once('='))
                .find(|(key, _)| key.trim().eq_ignore_ascii_case("for"))
                .and_then(|(_, value)| node_address(value.trim().trim_matches('"')))
        })
        .collect()
}

/// `192.0.2.1`, `192.0.2.1:4711`, `[2001:db8::1]`, `[2001:db8::1]:4711` or a bare IPv6 address.
fn node_address(node: &str) -> Option<IpAddr> {
    if let Ok(ip) = node.parse::<IpAddr>() {
        return Some(ip);
    }
    if let Ok(socket) = node.parse::<SocketAddr>() {
        return Some(socket.ip());
    }
    node.strip_prefix('[')
        .and_then(|rest| rest.strip_suffix(']'))
        .and_then(|inner| inner.parse::<IpAddr>().ok())
}

/// The client's address, as the limits see it.
pub struct ClientIp(pub IpAddr);

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        // Served without the connection's address (a router called directly): one bucket.
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map_or(IpAddr::from([0, 0, 0, 0]), |ConnectInfo(addr)| addr.ip());
        Ok(Self(state.limiter.proxies.client(peer, &parts.headers)))
    }
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    fn proxies(networks: &[&str], header: ForwardedHeader) -> TrustedProxies {
        TrustedProxies {
            networks: networks.iter().map(|n| n.parse().unwrap()).collect(),
            header,
        }
    }

    fn headers(name: &'static str, lines: &[&str]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for line in lines {
            map.append(name, HeaderValue::from_str(line).unwrap());
        }
        map
    }

    #[test]
    fn cidr_matches_its_network_only() {
        let net: Cidr = "10.1.0.0/16".parse().unwrap();
        assert!(net.contains(ip("10.1.255.3")));
        assert!(!net.contains(ip("10.2.0.1")));
        assert!(net.contains(ip("::ffff:10.1.0.9")), "IPv4 mapped into IPv6");
        let host: Cidr = "192.0.2.7".parse().unwrap();
        assert!(host.contains(ip("192.0.2.7")) && !host.contains(ip("192.0.2.8")));
        let all: Cidr = "0.0.0.0/0".parse().unwrap();
        assert!(all.contains(ip("203.0.113.1")) && !all.contains(ip("2001:db8::1")));
        let v6: Cidr = "2001:db8::/32".parse().unwrap();
        assert!(v6.contains(ip("2001:db8:ffff::1")) && !v6.contains(ip("2001:db9::1")));
        assert!("10.0.0.0/33".parse::<Cidr>().is_err());
        assert!("2001:db8::/129".parse::<Cidr>().is_err());
        assert!("proxy.local".parse::<Cidr>().is_err());
        assert_eq!(net.to_string(), "10.1.0.0/16");
    }

    #[test]
    fn without_trusted_proxies_the_peer_is_the_client() {
        let none = TrustedProxies::default();
        let forged = headers("x-forwarded-for", &["198.51.100.9"]);
        assert_eq!(none.client(ip("10.0.0.2"), &forged), ip("10.0.0.2"));
    }

    #[test]
    fn an_untrusted_peer_cannot_name_another_client() {
        let trusted = proxies(&["10.0.0.0/8"], ForwardedHeader::XForwardedFor);
        let forged = headers("x-forwarded-for", &["198.51.100.9"]);
        assert_eq!(
            trusted.client(ip("203.0.113.5"), &forged),
            ip("203.0.113.5")
        );
    }

    #[test]
    fn the_chain_is_walked_from_the_right_past_trusted_hops() {
        let trusted = proxies(&["10.0.0.0/8"], ForwardedHeader::XForwardedFor);
        // The client forged the first entry; the outer proxy appended the real client, the
        // inner proxy appended the outer one.
        let chain = headers("x-forwarded-for", &["1.2.3.4, 203.0.113.5", "10.0.0.3"]);
        assert_eq!(trusted.client(ip("10.0.0.2"), &chain), ip("203.0.113.5"));
        let all_trusted = headers("x-forwarded-for", &["10.9.9.9"]);
        assert_eq!(trusted.client(ip("10.0.0.2"), &all_trusted), ip("10.9.9.9"));
        let garbage = headers("x-forwarded-for", &["203.0.113.5, not-an-address"]);
        assert_eq!(trusted.client(ip("10.0.0.2"), &garbage), ip("10.0.0.2"));
        let none = HeaderMap::new();
        assert_eq!(trusted.client(ip("10.0.0.2"), &none), ip("10.0.0.2"));
    }

    #[test]
    fn forwarded_is_read_by_its_for_parameter_in_every_form() {
        let trusted = proxies(&["10.0.0.0/8", "2001:db8::/32"], ForwardedHeader::Forwarded);
        let chain = headers(
            "forwarded",
            &[
                "for=1.2.3.4, for=\"[2001:db8:cafe::17]:4711\";proto=https",
                "For=198.51.100.9:80;by=10.0.0.1, for=10.0.0.3",
            ],
        );
        assert_eq!(trusted.client(ip("10.0.0.2"), &chain), ip("198.51.100.9"));
        let v6 = headers("forwarded", &["for=\"[2001:db9::1]\""]);
        assert_eq!(trusted.client(ip("10.0.0.2"), &v6), ip("2001:db9::1"));
        let hidden = headers("forwarded", &["for=_hidden"]);
        assert_eq!(trusted.client(ip("10.0.0.2"), &hidden), ip("10.0.0.2"));
        // Only the named header counts: the client's own X-Forwarded-For is not read.
        let other = headers("x-forwarded-for", &["198.51.100.9"]);
        assert_eq!(trusted.client(ip("10.0.0.2"), &other), ip("10.0.0.2"));
    }
}
