package schema

import "encoding/json"

// Props is the subset of an OpenAPI v3 schema (apiextensions.k8s.io/v1
// JSONSchemaProps) that the generator writes. Field order is the order of
// the YAML output.
type Props struct {
	Description          string            `json:"description,omitempty"`
	Type                 string            `json:"type,omitempty"`
	Format               string            `json:"format,omitempty"`
	Enum                 []json.RawMessage `json:"enum,omitempty"`
	Minimum              *float64          `json:"minimum,omitempty"`
	Maximum              *float64          `json:"maximum,omitempty"`
	MinItems             *int64            `json:"minItems,omitempty"`
	Pattern              string            `json:"pattern,omitempty"`
	AnyOf                []Props           `json:"anyOf,omitempty"`
	Items                *Props            `json:"items,omitempty"`
	Properties           map[string]Props  `json:"properties,omitempty"`
	AdditionalProperties *Props            `json:"additionalProperties,omitempty"`
	Required             []string          `json:"required,omitempty"`
	IntOrString          bool              `json:"x-kubernetes-int-or-string,omitempty"`
}
