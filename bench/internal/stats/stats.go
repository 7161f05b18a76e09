// Package stats summarises samples and prints the benchmark's table.
package stats

import (
	"fmt"
	"math"
	"slices"
	"strings"
)

// Summary is min, median and max of a sample set.
type Summary struct {
	N             int
	Min, Med, Max float64
}

// Summarise returns the summary of xs; N is 0 for no samples.
func Summarise(xs []float64) Summary {
	if len(xs) == 0 {
		return Summary{}
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	med := s[len(s)/2]
	if len(s)%2 == 0 {
		med = (s[len(s)/2-1] + s[len(s)/2]) / 2
	}
	return Summary{N: len(s), Min: s[0], Med: med, Max: s[len(s)-1]}
}

// Row is one figure of the table.
type Row struct {
	// Figure names what is measured, Unit its unit.
	Figure, Unit string
	// Ours and Keepalived are the samples; Keepalived is empty where the
	// figure has no keepalived counterpart (the renderer).
	Ours, Keepalived []float64
	// Failed counts repetitions without a value, per implementation.
	OursFailed, KeepalivedFailed int
	// Bound is printed beside the figure (the RFC bound of a failover row).
	Bound string
}

// Ratio is median(ours) / median(keepalived), NaN when either is missing
// or keepalived's median is 0.
func (r Row) Ratio() float64 {
	o, k := Summarise(r.Ours), Summarise(r.Keepalived)
	if o.N == 0 || k.N == 0 || k.Med == 0 {
		return math.NaN()
	}
	return o.Med / k.Med
}

// Table renders rows as a Markdown table: figure, unit, each
// implementation's min / median / max (n), the ratio of the medians and
// the bound.
func Table(rows []Row) string {
	head := []string{"figure", "unit", "ours min / med / max (n)", "keepalived min / med / max (n)", "ours/ka", "RFC bound"}
	cells := [][]string{head}
	for _, r := range rows {
		ratio := "—"
		if v := r.Ratio(); !math.IsNaN(v) {
			ratio = fmt.Sprintf("%.2f", v)
		}
		cells = append(cells, []string{r.Figure, r.Unit, cell(r.Ours, r.OursFailed), cell(r.Keepalived, r.KeepalivedFailed), ratio, r.Bound})
	}
	widths := make([]int, len(head))
	for _, row := range cells {
		for i, c := range row {
			widths[i] = max(widths[i], len([]rune(c)))
		}
	}
	var b strings.Builder
	line := func(row []string) {
		b.WriteString("|")
		for i, c := range row {
			fmt.Fprintf(&b, " %s%s |", c, strings.Repeat(" ", widths[i]-len([]rune(c))))
		}
		b.WriteString("\n")
	}
	line(cells[0])
	sep := make([]string, len(head))
	for i, w := range widths {
		sep[i] = strings.Repeat("-", w)
	}
	line(sep)
	for _, row := range cells[1:] {
		line(row)
	}
	return b.String()
}

// cell formats one implementation's summary; failed repetitions are shown
// as "+k failed".
func cell(xs []float64, failed int) string {
	s := Summarise(xs)
	var c string
	switch {
	case s.N == 0 && failed == 0:
		return "—"
	case s.N == 0:
		c = "none"
	default:
		c = fmt.Sprintf("%s / %s / %s (%d)", num(s.Min), num(s.Med), num(s.Max), s.N)
	}
	if failed > 0 {
		c += fmt.Sprintf(" +%d failed", failed)
	}
	return c
}

// num prints a figure with three significant digits, without exponent.
func num(v float64) string {
	a := math.Abs(v)
	switch {
	case a >= 100:
		return fmt.Sprintf("%.0f", v)
	case a >= 10:
		return fmt.Sprintf("%.1f", v)
	case a >= 1:
		return fmt.Sprintf("%.2f", v)
	default:
		return fmt.Sprintf("%.3f", v)
	}
}
