package netif

import "errors"

// Sentinel errors. Returned errors wrap them with the interface and address
// concerned; test with errors.Is.
var (
	// ErrLinkNotFound means no interface has the requested name. The
	// package never falls back to another interface.
	ErrLinkNotFound = errors.New("interface not found")
	// ErrNoPrimaryIPv4 means the interface has no global IPv4 address other
	// than our VIPs.
	ErrNoPrimaryIPv4 = errors.New("no primary IPv4 address")
	// ErrNoLinkLocal means the interface has no IPv6 link-local address
	// (IPv6 disabled, or the link never came up).
	ErrNoLinkLocal = errors.New("no IPv6 link-local address")
	// ErrTentative means the link-local address exists but duplicate
	// address detection is still running: it cannot be used as a source
	// yet. Retry later.
	ErrTentative = errors.New("IPv6 link-local address is tentative (DAD in progress)")
	// ErrDADFailed means duplicate address detection found the link-local
	// address in use by another node.
	ErrDADFailed = errors.New("IPv6 duplicate address detection failed")
	// ErrConflict means the address is on the interface, but not as a VIP
	// (another prefix length): it belongs to someone else and is left alone.
	ErrConflict = errors.New("address is configured on the interface, but not as a VIP")
	// ErrInvalidVIP means the address cannot be a VIP (unspecified,
	// loopback, multicast, link-local or not an IP address).
	ErrInvalidVIP = errors.New("not a valid VIP")
)
