package contract

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Unknown is a value not known yet (an output of a resource a preview has not created): it is
// never checked, and it satisfies "required".
type Unknown struct{}

// issue is one thing the model refuses, at a member path of the request.
type issue struct {
	path  string // IpPermissions[0].IpRanges[0].Description
	rule  string // must match pattern ...
	where string // the shape and member the rule is stated on: IpRange.Description
}

// walker converts a request written with the provider's (camelCase, list-of-one) values into the
// API's canonical form, member by member, following the shapes, and notes what the model refuses.
type walker struct {
	aliases map[string]string // "Shape.inputKey" -> member, where the provider's name differs
	issues  []issue
}

func (w *walker) fail(path, where, format string, args ...any) {
	w.issues = append(w.issues, issue{path: path, rule: fmt.Sprintf(format, args...), where: where})
}

func join(path, member string) string {
	if path == "" {
		return member
	}
	return path + "." + member
}

// member finds the member of a structure an input key stands for: an alias, or the same name
// ignoring case (the provider's `healthCheckPath` is the API's `HealthCheckPath`).
func (w *walker) member(s *Shape, key string) (string, bool) {
	if m, ok := w.aliases[s.Name+"."+key]; ok {
		return m, true
	}
	if _, ok := s.Members[key]; ok {
		return key, true
	}
	for name := range s.Members {
		if strings.EqualFold(name, key) {
			return name, true
		}
	}
	return "", false
}

// walk returns v in the shape's canonical form.
func (w *walker) walk(s *Shape, path, where string, v any) any {
	if v == nil {
		return nil
	}
	if _, ok := v.(Unknown); ok {
		return v
	}
	if where == "" {
		where = s.Name
	}
	switch s.Type {
	case "structure":
		if s.Document {
			return v
		}
		if list, ok := v.([]any); ok && len(list) == 1 {
			v = list[0] // a block of at most one element in the provider's schema
		}
		obj, ok := v.(map[string]any)
		if !ok {
			w.fail(path, where, "must be a structure (%s), not %T", s.Name, v)
			return v
		}
		out := map[string]any{}
		keys := make([]string, 0, len(obj))
		for k := range obj {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if obj[k] == nil {
				continue
			}
			name, ok := w.member(s, k)
			if !ok {
				w.fail(join(path, k), s.Name, "is not a member of %s: the contract maps this input to no API member (tests/engine/standin/internal/contract)", s.Name)
				continue
			}
			target := s.model.Shape(s.Members[name].Shape)
			out[name] = w.walk(target, join(path, name), s.Name+"."+name, mergeInto(out[name], obj[k]))
		}
		for _, r := range s.Required {
			if out[r] == nil {
				w.fail(join(path, r), s.Name+"."+r, "is required")
			}
		}
		return out
	case "list":
		list, ok := v.([]any)
		if !ok {
			list = []any{v}
		}
		w.length(s, path, where, len(list), "items")
		out := make([]any, len(list))
		target := s.model.Shape(s.Member.Shape)
		for i, e := range list {
			out[i] = w.walk(target, fmt.Sprintf("%s[%d]", path, i), "", e)
		}
		return out
	case "map":
		obj, ok := v.(map[string]any)
		if !ok {
			w.fail(path, where, "must be a map, not %T", v)
			return v
		}
		w.length(s, path, where, len(obj), "entries")
		out := map[string]any{}
		keyShape, valueShape := s.model.Shape(s.Key.Shape), s.model.Shape(s.Value.Shape)
		for k, e := range obj {
			w.walk(keyShape, path+"{key "+strconv.Quote(k)+"}", "", k)
			out[k] = w.walk(valueShape, fmt.Sprintf("%s[%q]", path, k), "", e)
		}
		return out
	case "string":
		str, ok := asString(v)
		if !ok {
			w.fail(path, where, "must be a string, not %T", v)
			return v
		}
		if len(s.Enum) > 0 && !containsString(s.Enum, str) {
			w.fail(path, where, "must be one of %s, not %q", strings.Join(s.Enum, ", "), str)
		}
		w.length(s, path, where, utf8.RuneCountInString(str), "characters")
		if s.re != nil && !s.re.MatchString(str) {
			w.fail(path, where, "must match pattern %s, not %q", s.Pattern, str)
		}
		return str
	case "integer", "long":
		n, ok := asNumber(v)
		if !ok || n != math.Trunc(n) {
			w.fail(path, where, "must be an integer, not %v", v)
			return v
		}
		w.bounds(s, path, where, n)
		return n
	case "double", "float":
		n, ok := asNumber(v)
		if !ok {
			w.fail(path, where, "must be a number, not %v", v)
			return v
		}
		w.bounds(s, path, where, n)
		return n
	case "boolean":
		switch b := v.(type) {
		case bool:
			return b
		case string:
			if p, err := strconv.ParseBool(b); err == nil {
				return p // the provider's "true" strings (launch template blocks) are booleans in the API
			}
		}
		w.fail(path, where, "must be a boolean, not %v", v)
		return v
	}
	return v // timestamp, blob: passed through
}

func (w *walker) length(s *Shape, path, where string, n int, unit string) {
	if s.Min != nil && float64(n) < *s.Min {
		w.fail(path, where, "must have at least %v %s, has %d", *s.Min, unit, n)
	}
	if s.Max != nil && float64(n) > *s.Max {
		w.fail(path, where, "must have at most %v %s, has %d", *s.Max, unit, n)
	}
}

func (w *walker) bounds(s *Shape, path, where string, n float64) {
	if s.Min != nil && n < *s.Min {
		w.fail(path, where, "must be at least %v, is %v", *s.Min, n)
	}
	if s.Max != nil && n > *s.Max {
		w.fail(path, where, "must be at most %v, is %v", *s.Max, n)
	}
}

// asString reads a string; the provider sends numbers and booleans the API types as strings
// (a task's cpu, an attribute value) in their decimal and "true"/"false" forms.
func asString(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, true
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64), true
	case bool:
		return strconv.FormatBool(x), true
	}
	return "", false
}

// asNumber reads a number, or a string the provider parses into one (bakeTimeInMinutes).
func asNumber(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case int:
		return float64(x), true
	case string:
		n, err := strconv.ParseFloat(x, 64)
		return n, err == nil
	}
	return 0, false
}

func containsString(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}
