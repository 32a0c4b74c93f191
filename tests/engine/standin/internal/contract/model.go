// Package contract is the AWS request contract the stand-ins enforce: the API request(s) the
// provider (terraform-provider-aws, bridged by pulumi-aws 7.x) sends for a resource's inputs,
// validated against AWS's API models (botocore's service-2.json, read from the botocore the
// project's .venv holds: nothing from botocore is committed) and against the rules AWS states
// only in prose (rules.go). Test stand-in code, not a provider: nothing here talks to AWS.
package contract

import (
	"compress/gzip"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
)

// BotocoreEnv names the botocore package directory (…/site-packages/botocore) to read the models
// from, instead of the one in the repository's .venv.
const BotocoreEnv = "AWS_CONTRACT_BOTOCORE"

// Shape is one botocore shape, with what the contract checks.
type Shape struct {
	Name     string
	Type     string             `json:"type"`
	Members  map[string]*Member `json:"members"`
	Required []string           `json:"required"`
	Member   *Member            `json:"member"`
	Key      *Member            `json:"key"`
	Value    *Member            `json:"value"`
	Enum     []string           `json:"enum"`
	Min      *float64           `json:"min"`
	Max      *float64           `json:"max"`
	Pattern  string             `json:"pattern"`
	Document bool               `json:"document"`

	model *Model
	re    *regexp.Regexp // the whole value must match Pattern; nil when RE2 cannot compile it (see Unchecked)
}

// Member is a reference to a shape.
type Member struct {
	Shape string `json:"shape"`
}

// Model is one service's API model.
type Model struct {
	Service, Version string `json:"-"` // as the contract names it, not the model's "version" field
	Operations       map[string]struct {
		Input *Member `json:"input"`
	} `json:"operations"`
	Shapes map[string]*Shape `json:"shapes"`
	// Unchecked lists the patterns RE2 cannot compile (lookarounds), which are not checked.
	Unchecked []string
}

// Shape returns a named shape.
func (m *Model) Shape(name string) *Shape { return m.Shapes[name] }

// Input returns an operation's input shape, or an error naming the operation.
func (m *Model) Input(op string) (*Shape, error) {
	o, ok := m.Operations[op]
	if !ok || o.Input == nil {
		return nil, fmt.Errorf("botocore %s %s has no operation %s", m.Service, m.Version, op)
	}
	return m.Shapes[o.Input.Shape], nil
}

// Source names the model, as violations cite it: "botocore ec2 2016-11-15".
func (m *Model) Source() string { return fmt.Sprintf("botocore %s %s", m.Service, m.Version) }

// javaEscape matches the \uXXXX escapes of the models' (Java) patterns, which RE2 writes \x{XXXX}.
var javaEscape = regexp.MustCompile(`\\u([0-9A-Fa-f]{4})`)

// Models loads and caches the botocore models, each once per process.
type Models struct {
	dir     string // …/site-packages/botocore
	version string
	mu      sync.Mutex
	cache   map[string]*Model
}

// Open finds botocore (BotocoreEnv, else the .venv of the repository found above this binary or
// the working directory) and checks that its version is the one app/requirements-dev.txt pins.
func Open() (*Models, error) {
	root, err := repoRoot()
	if err != nil {
		return nil, err
	}
	pin, err := pinnedVersion(filepath.Join(root, "app", "requirements-dev.txt"))
	if err != nil {
		return nil, err
	}
	dir := os.Getenv(BotocoreEnv)
	if dir == "" {
		found, _ := filepath.Glob(filepath.Join(root, ".venv", "lib", "python3*", "site-packages", "botocore"))
		if len(found) == 0 {
			return nil, fmt.Errorf("the AWS contract reads botocore's API models from %s/.venv, which has no botocore: run npm run setup", root)
		}
		dir = found[0]
	}
	version, err := installedVersion(dir)
	if err != nil {
		return nil, err
	}
	if version != pin {
		return nil, fmt.Errorf("the AWS contract needs botocore %s (app/requirements-dev.txt) but %s holds %s: run npm run setup", pin, dir, version)
	}
	return &Models{dir: dir, version: version, cache: map[string]*Model{}}, nil
}

// Version is the botocore version the models come from.
func (ms *Models) Version() string { return ms.version }

// Get returns a service's model at an API version, parsed once.
func (ms *Models) Get(service, apiVersion string) (*Model, error) {
	ms.mu.Lock()
	defer ms.mu.Unlock()
	key := service + "/" + apiVersion
	if m, ok := ms.cache[key]; ok {
		return m, nil
	}
	f, err := os.Open(filepath.Join(ms.dir, "data", service, apiVersion, "service-2.json.gz"))
	if err != nil {
		return nil, fmt.Errorf("botocore %s has no model of %s %s: %w", ms.version, service, apiVersion, err)
	}
	defer f.Close()
	z, err := gzip.NewReader(f)
	if err != nil {
		return nil, err
	}
	m := &Model{Service: service, Version: apiVersion}
	if err := json.NewDecoder(z).Decode(m); err != nil {
		return nil, fmt.Errorf("botocore %s %s: %w", service, apiVersion, err)
	}
	for name, s := range m.Shapes {
		s.Name, s.model = name, m
		if s.Pattern != "" {
			// AWS's validators match the whole value (Java's String.matches: "Member must satisfy
			// regular expression pattern"), so the pattern is anchored.
			// Java writes the characters beyond U+FFFF as UTF-16 surrogate pairs, RE2 as code points.
			// Java's \p{Print} is the printable ASCII characters.
			p := strings.ReplaceAll(s.Pattern, `\uD800\uDC00-\uDBFF\uDFFF`, `\x{10000}-\x{10FFFF}`)
			p = strings.ReplaceAll(p, `\p{Print}`, `[ -~]`)
			re, err := regexp.Compile(`^(?:` + javaEscape.ReplaceAllString(p, `\x{$1}`) + `)$`)
			if err != nil {
				m.Unchecked = append(m.Unchecked, name)
				continue
			}
			s.re = re
		}
	}
	ms.cache[key] = m
	return m, nil
}

// repoRoot is the first directory holding app/requirements-dev.txt above the running binary
// (.tools/standin/…, whatever symlink the engine started it through) or the working directory.
func repoRoot() (string, error) {
	var starts []string
	if exe, err := os.Executable(); err == nil {
		if real, err := filepath.EvalSymlinks(exe); err == nil {
			starts = append(starts, filepath.Dir(real))
		}
	}
	if wd, err := os.Getwd(); err == nil {
		starts = append(starts, wd)
	}
	for _, dir := range starts {
		for {
			if _, err := os.Stat(filepath.Join(dir, "app", "requirements-dev.txt")); err == nil {
				return dir, nil
			}
			parent := filepath.Dir(dir)
			if parent == dir {
				break
			}
			dir = parent
		}
	}
	return "", fmt.Errorf("the AWS contract found no repository (app/requirements-dev.txt) above %v", starts)
}

var pinLine = regexp.MustCompile(`(?m)^botocore==(\S+)`)

func pinnedVersion(requirements string) (string, error) {
	b, err := os.ReadFile(requirements)
	if err != nil {
		return "", err
	}
	m := pinLine.FindSubmatch(b)
	if m == nil {
		return "", fmt.Errorf("%s pins no botocore version", requirements)
	}
	return string(m[1]), nil
}

var versionLine = regexp.MustCompile(`(?m)^__version__ = ['"]([^'"]+)['"]`)

func installedVersion(dir string) (string, error) {
	b, err := os.ReadFile(filepath.Join(dir, "__init__.py"))
	if err != nil {
		return "", fmt.Errorf("no botocore at %s (%s): run npm run setup", dir, strings.TrimSpace(err.Error()))
	}
	m := versionLine.FindSubmatch(b)
	if m == nil {
		return "", fmt.Errorf("%s/__init__.py states no __version__", dir)
	}
	return string(m[1]), nil
}
