package metrics

import (
	"bytes"
	"math"
	"net/http/httptest"
	"strings"
	"testing"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// parse reads an exposition with the Prometheus project's own parser.
func parse(t *testing.T, text string) map[string]*dto.MetricFamily {
	t.Helper()
	p := expfmt.NewTextParser(model.LegacyValidation)
	mfs, err := p.TextToMetricFamilies(strings.NewReader(text))
	if err != nil {
		t.Fatalf("the Prometheus parser rejects the exposition: %v\n%s", err, text)
	}
	return mfs
}

func expose(t *testing.T, r *Registry) string {
	t.Helper()
	var b bytes.Buffer
	if err := r.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestExpositionParses(t *testing.T) {
	r := NewRegistry()
	c := r.NewCounter("x_events_total", "Events.\nSecond line with a \\ backslash.")
	g := r.NewGauge("x_up", "1 while up.")
	cv := r.NewCounterVec("x_sent_total", "Sent per group.", "vrid")
	gv := r.NewGaugeVec("x_state", "State per group.", "instance", "vrid")
	unused := r.NewCounterVec("x_unused_total", "Never used.", "reason")
	_ = unused
	r.NewCounterFunc("x_dropped_total", "Read at exposition.", func() float64 { return 7 })
	c.Inc()
	c.Add(2.5)
	g.Set(1)
	cv.WithLabelValues("2").Inc()
	cv.WithLabelValues("10").Add(3)
	cv.WithLabelValues("2").Inc()
	gv.WithLabelValues(`odd "name" \ with`+"\n", "1").Set(2)
	gv.WithLabelValues("b", "1").Set(math.Inf(1))

	text := expose(t, r)
	mfs := parse(t, text)
	tests := []struct {
		name   string
		typ    dto.MetricType
		labels map[string]string
		want   float64
	}{
		{"x_events_total", dto.MetricType_COUNTER, nil, 3.5},
		{"x_up", dto.MetricType_GAUGE, nil, 1},
		{"x_sent_total", dto.MetricType_COUNTER, map[string]string{"vrid": "2"}, 2},
		{"x_sent_total", dto.MetricType_COUNTER, map[string]string{"vrid": "10"}, 3},
		{"x_state", dto.MetricType_GAUGE, map[string]string{"instance": `odd "name" \ with` + "\n", "vrid": "1"}, 2},
		{"x_state", dto.MetricType_GAUGE, map[string]string{"instance": "b", "vrid": "1"}, math.Inf(1)},
		{"x_dropped_total", dto.MetricType_COUNTER, nil, 7},
	}
	for _, tc := range tests {
		mf, ok := mfs[tc.name]
		if !ok {
			t.Errorf("%s missing from\n%s", tc.name, text)
			continue
		}
		if mf.GetType() != tc.typ {
			t.Errorf("%s: type %v, want %v", tc.name, mf.GetType(), tc.typ)
		}
		found := false
		for _, m := range mf.GetMetric() {
			got := map[string]string{}
			for _, lp := range m.GetLabel() {
				got[lp.GetName()] = lp.GetValue()
			}
			if len(got) != len(tc.labels) {
				continue
			}
			match := true
			for k, v := range tc.labels {
				match = match && got[k] == v
			}
			if !match {
				continue
			}
			found = true
			v := m.GetCounter().GetValue() + m.GetGauge().GetValue()
			if v != tc.want {
				t.Errorf("%s%v = %v, want %v", tc.name, tc.labels, v, tc.want)
			}
		}
		if !found {
			t.Errorf("%s%v missing from\n%s", tc.name, tc.labels, text)
		}
	}
	if mf := mfs["x_events_total"]; mf.GetHelp() != "Events.\nSecond line with a \\ backslash." {
		t.Errorf("help %q", mf.GetHelp())
	}
	if _, ok := mfs["x_unused_total"]; ok {
		t.Errorf("a labelled family without series is exposed:\n%s", text)
	}
	if len(mfs) != 5 {
		t.Errorf("%d families, want 5:\n%s", len(mfs), text)
	}
}

// TestExpositionStable: the same state writes the same bytes, families by
// name and series by label values.
func TestExpositionStable(t *testing.T) {
	r := NewRegistry()
	v := r.NewCounterVec("b_total", "B.", "k")
	r.NewGauge("a", "A.").Set(1)
	for _, k := range []string{"z", "a", "m"} {
		v.WithLabelValues(k).Inc()
	}
	want := "# HELP a A.\n# TYPE a gauge\na 1\n" +
		"# HELP b_total B.\n# TYPE b_total counter\nb_total{k=\"a\"} 1\nb_total{k=\"m\"} 1\nb_total{k=\"z\"} 1\n"
	for range 3 {
		if got := expose(t, r); got != want {
			t.Fatalf("got\n%s\nwant\n%s", got, want)
		}
	}
}

func TestProcessSeries(t *testing.T) {
	r := NewRegistry()
	r.RegisterProcess()
	mfs := parse(t, expose(t, r))
	for _, name := range []string{"go_goroutines", "process_cpu_seconds_total", "process_resident_memory_bytes"} {
		mf, ok := mfs[name]
		if !ok {
			t.Fatalf("%s missing", name)
		}
		if v := mf.GetMetric()[0].GetGauge().GetValue() + mf.GetMetric()[0].GetCounter().GetValue(); name != "process_cpu_seconds_total" && v <= 0 {
			t.Errorf("%s = %v, want > 0", name, v)
		}
	}
}

func TestHandler(t *testing.T) {
	r := NewRegistry()
	r.NewCounter("c_total", "C.").Inc()
	rec := httptest.NewRecorder()
	r.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	if ct := rec.Header().Get("Content-Type"); ct != ContentType {
		t.Errorf("Content-Type %q", ct)
	}
	if v := parse(t, rec.Body.String())["c_total"].GetMetric()[0].GetCounter().GetValue(); v != 1 {
		t.Errorf("c_total = %v", v)
	}
}

func TestWrongLabelCountPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("no panic")
		}
	}()
	NewRegistry().NewCounterVec("x_total", "X.", "a", "b").WithLabelValues("1")
}

func TestConcurrentAdds(t *testing.T) {
	r := NewRegistry()
	c := r.NewCounterVec("n_total", "N.", "k")
	done := make(chan struct{})
	for range 4 {
		go func() {
			defer func() { done <- struct{}{} }()
			for range 1000 {
				c.WithLabelValues("x").Inc()
			}
		}()
	}
	for range 4 {
		<-done
	}
	if v := c.WithLabelValues("x").Value(); v != 4000 {
		t.Errorf("n_total = %v, want 4000", v)
	}
}
