// Test stand-in, not a provider: `docker-build` (pulumi-docker-build 0.0.22). Nothing is built
// or pushed: an Image's digest is a hash of its build settings and of the files of its build
// context (by path relative to the context, .dockerignore roughly honoured), so it changes when
// and only when a real build would produce a different image.
package standin

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// DockerBuild is the stand-in for the docker-build package.
type DockerBuild struct{}

const imageType = "docker-build:index:Image"

func (DockerBuild) Check(s *Server, urn resource.URN, _, news resource.PropertyMap) (resource.PropertyMap, []*pulumirpc.CheckFailure) {
	if string(urn.Type()) != imageType {
		return news, []*pulumirpc.CheckFailure{failure("", "%s", s.notImplemented("resource", string(urn.Type())))}
	}
	return news, nil
}

// ReplaceKeys: an Image never needs replacing; a changed input means a new build.
func (DockerBuild) ReplaceKeys(string, []string, resource.PropertyMap, resource.PropertyMap) []string {
	return nil
}

// ExtraDiffs reports a changed build context, which the inputs do not show.
func (DockerBuild) ExtraDiffs(state, news resource.PropertyMap) []string {
	dir, _ := contextDir(news)
	if dir == "" || !known(state, "contextHash") {
		return nil
	}
	hash, err := contextHash(dir, news)
	if err != nil || hash != str(state, "contextHash") {
		return []string{"contextHash"}
	}
	return nil
}

func (DockerBuild) Create(s *Server, _ resource.URN, inputs resource.PropertyMap, preview bool) (string, resource.PropertyMap, error) {
	outs, err := build(inputs, preview)
	if err != nil {
		return "", nil, err
	}
	id := ""
	if d := str(outs, "digest"); d != "" && !preview {
		id = d
	}
	return id, outs, nil
}

func (DockerBuild) Update(s *Server, _ resource.URN, _ string, _, news resource.PropertyMap, preview bool) (resource.PropertyMap, error) {
	return build(news, preview)
}

func (DockerBuild) Invoke(s *Server, tok string, _ resource.PropertyMap) (resource.PropertyMap, error) {
	return nil, s.notImplemented("function", tok)
}

func contextDir(inputs resource.PropertyMap) (string, bool) {
	c := inputs["context"]
	if !c.IsObject() {
		return "", false
	}
	loc := c.ObjectValue()["location"]
	if loc.ContainsUnknowns() {
		return "", true
	}
	if loc.IsString() {
		return loc.StringValue(), false
	}
	return "", false
}

// build returns the outputs of a "build": the inputs plus digest, ref and contextHash.
func build(inputs resource.PropertyMap, preview bool) (resource.PropertyMap, error) {
	outs := inputs.Copy()
	unknown := resource.MakeComputed(resource.NewProperty(""))
	dir, dirUnknown := contextDir(inputs)
	push := boolean(inputs, "push", false)
	if dirUnknown || (preview && push && !boolean(inputs, "buildOnPreview", true)) {
		outs["digest"], outs["ref"], outs["contextHash"] = unknown, unknown, unknown
		return outs, nil
	}
	ctxHash := ""
	if dir != "" {
		h, err := contextHash(dir, inputs)
		if err != nil {
			return nil, err
		}
		ctxHash = h
	}
	settings := resource.PropertyMap{}
	for _, k := range []resource.PropertyKey{"platforms", "buildArgs", "target", "labels", "noCache", "secrets", "ssh"} {
		if v, ok := inputs[k]; ok {
			settings[k] = v
		}
	}
	if settings.ContainsUnknowns() {
		outs["digest"], outs["ref"], outs["contextHash"] = unknown, unknown, unknown
		return outs, nil
	}
	digest := "sha256:" + hexOf(64, "image", canonical(settings), ctxHash)
	outs["digest"] = resource.NewProperty(digest)
	outs["contextHash"] = resource.NewProperty(ctxHash)
	outs["ref"] = resource.NewProperty("")
	if tags := inputs["tags"]; tags.IsArray() && len(tags.ArrayValue()) > 0 {
		first := tags.ArrayValue()[0]
		switch {
		case first.ContainsUnknowns():
			outs["ref"] = unknown
		case first.IsString():
			outs["ref"] = resource.NewProperty(first.StringValue() + "@" + digest)
		}
	} else if tags.ContainsUnknowns() {
		outs["ref"] = unknown
	}
	return outs, nil
}

// contextHash hashes the files of the build context by relative path and content, plus the
// Dockerfile (by its path relative to the context, or its inline contents).
func contextHash(dir string, inputs resource.PropertyMap) (string, error) {
	ignore := readDockerignore(filepath.Join(dir, ".dockerignore"))
	var files []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		if rel == "." {
			return nil
		}
		if ignored(ignore, rel) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.Type().IsRegular() {
			files = append(files, rel)
		}
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("reading the build context %s: %w", dir, err)
	}
	sort.Strings(files)
	h := sha256.New()
	for _, rel := range files {
		data, err := os.ReadFile(filepath.Join(dir, rel))
		if err != nil {
			return "", err
		}
		sum := sha256.Sum256(data)
		fmt.Fprintf(h, "%s\x00%x\x00", rel, sum)
	}
	if df := inputs["dockerfile"]; df.IsObject() {
		o := df.ObjectValue()
		if loc := str(o, "location"); loc != "" {
			rel, err := filepath.Rel(dir, loc)
			if err != nil {
				rel = loc
			}
			data, err := os.ReadFile(loc)
			if err != nil {
				return "", fmt.Errorf("reading the Dockerfile: %w", err)
			}
			sum := sha256.Sum256(data)
			fmt.Fprintf(h, "dockerfile\x00%s\x00%x\x00", filepath.ToSlash(rel), sum)
		}
		if inline := str(o, "inline"); inline != "" {
			fmt.Fprintf(h, "dockerfile-inline\x00%s\x00", inline)
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

type ignoreRule struct {
	pattern string
	negate  bool
}

func readDockerignore(path string) []ignoreRule {
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	var rules []ignoreRule
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		r := ignoreRule{}
		if strings.HasPrefix(line, "!") {
			r.negate, line = true, strings.TrimSpace(line[1:])
		}
		r.pattern = strings.TrimPrefix(filepath.ToSlash(filepath.Clean(line)), "/")
		rules = append(rules, r)
	}
	return rules
}

// ignored matches roughly like Docker: the last matching rule wins; a pattern matches a path or
// any of its parent directories; a leading "**/" matches at any depth.
func ignored(rules []ignoreRule, rel string) bool {
	out := false
	for _, r := range rules {
		if matchIgnore(r.pattern, rel) {
			out = !r.negate
		}
	}
	return out
}

func matchIgnore(pattern, rel string) bool {
	parts := strings.Split(rel, "/")
	for i := 1; i <= len(parts); i++ {
		prefix := strings.Join(parts[:i], "/")
		if ok, _ := filepath.Match(pattern, prefix); ok {
			return true
		}
		if strings.HasPrefix(pattern, "**/") {
			sub := strings.TrimPrefix(pattern, "**/")
			for j := 0; j < i; j++ {
				if ok, _ := filepath.Match(sub, strings.Join(parts[j:i], "/")); ok {
					return true
				}
			}
		}
	}
	return false
}
