package fn

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// parseJSON reads the compact JSON that encoding/json writes into YAML
// nodes, keeping the order of object keys. A YAML parser would do, but it
// rejects characters JSON carries raw (such as DEL), and
// json.Decoder.Token is several times slower.
func parseJSON(b []byte) (*yaml.Node, error) {
	p := &jsonParser{b: b}
	n, err := p.value()
	if err == nil && p.i != len(p.b) {
		err = fmt.Errorf("trailing data at offset %d", p.i)
	}
	return n, err
}

type jsonParser struct {
	b []byte
	i int
}

func scalar(tag, value string) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: value}
}

func (p *jsonParser) value() (*yaml.Node, error) {
	if p.i >= len(p.b) {
		return nil, fmt.Errorf("unexpected end of JSON")
	}
	rest := p.b[p.i:]
	switch {
	case rest[0] == '{' || rest[0] == '[':
		return p.collection(rest[0])
	case rest[0] == '"':
		s, err := p.str()
		return scalar("!!str", s), err
	case bytes.HasPrefix(rest, []byte("true")):
		p.i += 4
		return scalar("!!bool", "true"), nil
	case bytes.HasPrefix(rest, []byte("false")):
		p.i += 5
		return scalar("!!bool", "false"), nil
	case bytes.HasPrefix(rest, []byte("null")):
		p.i += 4
		return scalar("!!null", "null"), nil
	}
	start := p.i
	for p.i < len(p.b) && strings.IndexByte("+-0123456789.eE", p.b[p.i]) >= 0 {
		p.i++
	}
	num := string(p.b[start:p.i])
	if num == "" {
		return nil, fmt.Errorf("unexpected %q at offset %d", p.b[p.i], p.i)
	}
	if strings.ContainsAny(num, ".eE") {
		return scalar("!!float", num), nil
	}
	return scalar("!!int", num), nil
}

// collection reads an object ('{') or an array ('[').
func (p *jsonParser) collection(open byte) (*yaml.Node, error) {
	n := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
	closing := byte(']')
	if open == '{' {
		n = &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
		closing = '}'
	}
	p.i++
	for first := true; ; first = false {
		if p.i >= len(p.b) {
			return nil, fmt.Errorf("unexpected end of JSON")
		}
		if p.b[p.i] == closing {
			p.i++
			return n, nil
		}
		if !first {
			if p.b[p.i] != ',' {
				return nil, fmt.Errorf("expected ',' at offset %d", p.i)
			}
			p.i++
		}
		if open == '{' {
			key, err := p.str()
			if err != nil {
				return nil, err
			}
			if p.i >= len(p.b) || p.b[p.i] != ':' {
				return nil, fmt.Errorf("expected ':' at offset %d", p.i)
			}
			p.i++
			n.Content = append(n.Content, scalar("!!str", key))
		}
		child, err := p.value()
		if err != nil {
			return nil, err
		}
		n.Content = append(n.Content, child)
	}
}

// str reads a string; one with escapes is decoded by encoding/json.
func (p *jsonParser) str() (string, error) {
	if p.i >= len(p.b) || p.b[p.i] != '"' {
		return "", fmt.Errorf("expected a string at offset %d", p.i)
	}
	start, escaped := p.i, false
	for p.i++; p.i < len(p.b); p.i++ {
		switch p.b[p.i] {
		case '\\':
			escaped = true
			p.i++
		case '"':
			p.i++
			raw := p.b[start:p.i]
			if !escaped {
				return string(raw[1 : len(raw)-1]), nil
			}
			var s string
			err := json.Unmarshal(raw, &s)
			return s, err
		}
	}
	return "", fmt.Errorf("unterminated string at offset %d", start)
}
