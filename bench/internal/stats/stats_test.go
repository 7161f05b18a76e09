package stats

import (
	"math"
	"strings"
	"testing"
)

func TestSummarise(t *testing.T) {
	cases := []struct {
		in   []float64
		want Summary
	}{
		{nil, Summary{}},
		{[]float64{3}, Summary{1, 3, 3, 3}},
		{[]float64{5, 1, 3}, Summary{3, 1, 3, 5}},
		{[]float64{4, 1, 2, 3}, Summary{4, 1, 2.5, 4}},
	}
	for _, c := range cases {
		if got := Summarise(c.in); got != c.want {
			t.Errorf("Summarise(%v) = %+v, want %+v", c.in, got, c.want)
		}
	}
}

func TestRatioAndTable(t *testing.T) {
	r := Row{Figure: "gap", Unit: "ms", Ours: []float64{10, 20, 30}, Keepalived: []float64{10, 10, 10}, KeepalivedFailed: 1, Bound: "3414"}
	if got := r.Ratio(); got != 2 {
		t.Fatalf("Ratio = %v, want 2", got)
	}
	if !math.IsNaN((Row{Ours: []float64{1}}).Ratio()) {
		t.Fatal("Ratio without keepalived samples is not NaN")
	}
	out := Table([]Row{r, {Figure: "render", Unit: "ms", Ours: []float64{1.5}}})
	for _, want := range []string{"| gap ", "10.0 / 20.0 / 30.0 (3)", "+1 failed", "| 2.00 ", "| 3414 ", "—"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
}
