package metrics

import (
	"bufio"
	"cmp"
	"io"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// ContentType is the media type of the text exposition format 0.0.4.
const ContentType = "text/plain; version=0.0.4; charset=utf-8"

// WriteText writes every family that has a series, sorted by name, its
// series sorted by label values, in the Prometheus text format: a HELP and
// a TYPE line, then one sample line per series.
func (r *Registry) WriteText(w io.Writer) error {
	r.mu.Lock()
	fams := slices.Clone(r.fams)
	r.mu.Unlock()
	slices.SortFunc(fams, func(a, b *family) int { return cmp.Compare(a.name, b.name) })
	bw := bufio.NewWriter(w)
	var line []byte
	for _, f := range fams {
		type sample struct {
			labels []string
			v      float64
		}
		var samples []sample
		if f.fn != nil {
			samples = append(samples, sample{v: f.fn()})
		} else {
			f.mu.Lock()
			for _, v := range f.series {
				samples = append(samples, sample{v.labels, v.load()})
			}
			f.mu.Unlock()
		}
		if len(samples) == 0 {
			continue
		}
		slices.SortFunc(samples, func(a, b sample) int { return slices.Compare(a.labels, b.labels) })
		line = append(line[:0], "# HELP "...)
		line = append(line, f.name...)
		line = append(line, ' ')
		line = appendEscaped(line, f.help, false)
		line = append(line, "\n# TYPE "...)
		line = append(line, f.name...)
		line = append(line, ' ')
		line = append(line, f.kind...)
		line = append(line, '\n')
		for _, s := range samples {
			line = append(line, f.name...)
			if len(s.labels) > 0 {
				line = append(line, '{')
				for i, l := range f.labels {
					if i > 0 {
						line = append(line, ',')
					}
					line = append(line, l...)
					line = append(line, `="`...)
					line = appendEscaped(line, s.labels[i], true)
					line = append(line, '"')
				}
				line = append(line, '}')
			}
			line = append(line, ' ')
			line = appendFloat(line, s.v)
			line = append(line, '\n')
		}
		if _, err := bw.Write(line); err != nil {
			return err
		}
		line = line[:0]
	}
	return bw.Flush()
}

// appendEscaped escapes a backslash and a line feed, and in a label value
// also a double quote, as the text format requires.
func appendEscaped(b []byte, s string, quote bool) []byte {
	if !strings.ContainsAny(s, "\\\n\"") {
		return append(b, s...)
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\':
			b = append(b, `\\`...)
		case c == '\n':
			b = append(b, `\n`...)
		case c == '"' && quote:
			b = append(b, `\"`...)
		default:
			b = append(b, c)
		}
	}
	return b
}

func appendFloat(b []byte, v float64) []byte {
	switch {
	case math.IsInf(v, 1):
		return append(b, "+Inf"...)
	case math.IsInf(v, -1):
		return append(b, "-Inf"...)
	case math.IsNaN(v):
		return append(b, "NaN"...)
	}
	return strconv.AppendFloat(b, v, 'g', -1, 64)
}

// Handler serves the registry's exposition.
func (r *Registry) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", ContentType)
		r.WriteText(w)
	})
}
