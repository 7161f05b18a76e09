// Package probe watches the lab from outside the implementations under
// test: a client that pings a VIP every few milliseconds and records which
// MAC address answered each echo, and a sniffer on the switch that records
// every VRRP advertisement entering the bridge.
//
// Both read AF_PACKET sockets with kernel receive timestamps, so what they
// record does not depend on when the benchmark's goroutines get a CPU.
package probe
