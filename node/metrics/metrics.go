package metrics

import (
	"math"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
)

// Registry holds metric families and writes them (WriteText).
type Registry struct {
	mu   sync.Mutex
	fams []*family
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry { return &Registry{} }

type kind string

const (
	counterKind kind = "counter"
	gaugeKind   kind = "gauge"
)

// family is one metric name: its help, type, label names and series.
type family struct {
	name, help string
	kind       kind
	labels     []string
	fn         func() float64 // a value read at exposition (CounterFunc, GaugeFunc)
	mu         sync.Mutex
	series     map[string]*value // key: label values joined by \xff
}

func (r *Registry) add(f *family) *family {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, g := range r.fams {
		if g.name == f.name {
			panic("metrics: " + f.name + " registered twice")
		}
	}
	f.series = make(map[string]*value)
	r.fams = append(r.fams, f)
	return f
}

// value is one series: a float64 updated atomically, with its label values.
type value struct {
	bits   atomic.Uint64
	labels []string
}

func (v *value) load() float64 { return math.Float64frombits(v.bits.Load()) }

func (v *value) set(x float64) { v.bits.Store(math.Float64bits(x)) }

func (v *value) add(x float64) {
	for {
		old := v.bits.Load()
		if v.bits.CompareAndSwap(old, math.Float64bits(math.Float64frombits(old)+x)) {
			return
		}
	}
}

// with returns the series of the label values, creating it.
func (f *family) with(vals []string) *value {
	if len(vals) != len(f.labels) {
		panic("metrics: " + f.name + " takes labels " + strings.Join(f.labels, ",") + ", got " + strings.Join(vals, ","))
	}
	key := strings.Join(vals, "\xff")
	f.mu.Lock()
	defer f.mu.Unlock()
	v, ok := f.series[key]
	if !ok {
		v = &value{labels: slices.Clone(vals)}
		f.series[key] = v
	}
	return v
}

// Counter is a value that only goes up.
type Counter struct{ v *value }

// Inc adds 1.
func (c Counter) Inc() { c.v.add(1) }

// Add adds x, which must not be negative.
func (c Counter) Add(x float64) {
	if x < 0 {
		panic("metrics: a counter cannot go down")
	}
	c.v.add(x)
}

// Value is the current value (for tests).
func (c Counter) Value() float64 { return c.v.load() }

// Gauge is a value that is set.
type Gauge struct{ v *value }

// Set sets the gauge.
func (g Gauge) Set(x float64) { g.v.set(x) }

// Value is the current value (for tests).
func (g Gauge) Value() float64 { return g.v.load() }

// CounterVec is a counter family with labels.
type CounterVec struct{ f *family }

// WithLabelValues returns the counter of the label values, in the order
// of the family's label names. Look it up once where it is hot.
func (c CounterVec) WithLabelValues(vals ...string) Counter { return Counter{c.f.with(vals)} }

// GaugeVec is a gauge family with labels.
type GaugeVec struct{ f *family }

// WithLabelValues returns the gauge of the label values.
func (g GaugeVec) WithLabelValues(vals ...string) Gauge { return Gauge{g.f.with(vals)} }

// NewCounter registers a counter without labels; it is exposed from the start.
func (r *Registry) NewCounter(name, help string) Counter {
	f := r.add(&family{name: name, help: help, kind: counterKind})
	return Counter{f.with(nil)}
}

// NewGauge registers a gauge without labels; it is exposed from the start.
func (r *Registry) NewGauge(name, help string) Gauge {
	f := r.add(&family{name: name, help: help, kind: gaugeKind})
	return Gauge{f.with(nil)}
}

// NewCounterVec registers a counter family with the label names.
func (r *Registry) NewCounterVec(name, help string, labels ...string) CounterVec {
	return CounterVec{r.add(&family{name: name, help: help, kind: counterKind, labels: labels})}
}

// NewGaugeVec registers a gauge family with the label names.
func (r *Registry) NewGaugeVec(name, help string, labels ...string) GaugeVec {
	return GaugeVec{r.add(&family{name: name, help: help, kind: gaugeKind, labels: labels})}
}

// NewCounterFunc registers a counter without labels whose value fn returns
// at every exposition.
func (r *Registry) NewCounterFunc(name, help string, fn func() float64) {
	r.add(&family{name: name, help: help, kind: counterKind, fn: fn})
}

// NewGaugeFunc registers a gauge without labels whose value fn returns at
// every exposition.
func (r *Registry) NewGaugeFunc(name, help string, fn func() float64) {
	r.add(&family{name: name, help: help, kind: gaugeKind, fn: fn})
}
