// Package metrics is the node agent's Prometheus exposition: counters and
// gauges, with or without labels, written in the Prometheus text format
// (version 0.0.4) by hand.
//
// It replaces github.com/prometheus/client_golang in the agent. That
// library, its protobuf model and its Go and process collectors made a
// large part of the agent's binary and of its heap at start-up, for a
// dozen counters (docs/benchmarks.md, "What the benchmark found"). The
// metric names, help texts, types and labels are the agent's (see
// node/agent's NewMetrics); the tests parse the output with the Prometheus
// project's own text parser.
//
// Like client_golang, a labelled family appears only once one of its
// series was used, and a series once created stays (counters never go
// back). Updates are lock-free for a series already looked up; looking
// one up takes the family's lock.
package metrics
