// Test stand-in, not a provider: deterministic "random" parts of ids, names and digests, so that
// a rerun of the same program produces the same state.
package standin

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// hexOf returns n hex characters of the SHA-256 of the parts.
func hexOf(n int, parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	s := hex.EncodeToString(h.Sum(nil))
	for len(s) < n {
		s += hexOf(64, s)
	}
	return s[:n]
}

// digitsOf returns n decimal digits derived from the parts.
func digitsOf(n int, parts ...string) string {
	var b strings.Builder
	for _, c := range hexOf(n, parts...) {
		b.WriteByte(byte('0' + (int(c) % 10)))
	}
	return b.String()
}

// canonical renders a property map the same way every time (keys sorted, secrets unwrapped,
// unknowns as "<unknown>"), for hashing.
func canonical(m resource.PropertyMap) string {
	var b strings.Builder
	writeObject(&b, m)
	return b.String()
}

func writeObject(b *strings.Builder, m resource.PropertyMap) {
	keys := make([]string, 0, len(m))
	for k := range m {
		if !isInternalKey(k) {
			keys = append(keys, string(k))
		}
	}
	sort.Strings(keys)
	b.WriteByte('{')
	for _, k := range keys {
		fmt.Fprintf(b, "%q:", k)
		writeValue(b, m[resource.PropertyKey(k)])
		b.WriteByte(',')
	}
	b.WriteByte('}')
}

func writeValue(b *strings.Builder, v resource.PropertyValue) {
	switch {
	case v.IsSecret():
		writeValue(b, v.SecretValue().Element)
	case v.IsComputed() || v.IsOutput() && !v.OutputValue().Known:
		b.WriteString(`"<unknown>"`)
	case v.IsOutput():
		writeValue(b, v.OutputValue().Element)
	case v.IsObject():
		writeObject(b, v.ObjectValue())
	case v.IsArray():
		b.WriteByte('[')
		for _, e := range v.ArrayValue() {
			writeValue(b, e)
			b.WriteByte(',')
		}
		b.WriteByte(']')
	case v.IsString():
		fmt.Fprintf(b, "%q", v.StringValue())
	case v.IsNull():
		b.WriteString("null")
	case v.IsResourceReference():
		fmt.Fprintf(b, "%q", string(v.ResourceReferenceValue().URN))
	default:
		fmt.Fprintf(b, "%v", v.V)
	}
}

// decodeJSONProperty parses a JSON document into a property value.
func decodeJSONProperty(s string) (resource.PropertyValue, error) {
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		return resource.PropertyValue{}, err
	}
	return resource.NewPropertyValue(v), nil
}
