// Test tool, not a provider: checks resources against the AWS request contract
// (internal/contract) in one process, for the mock tier (tests/contract.ts).
//
//	aws-contract < resources.json
//
// Standard input: a JSON array, or JSON lines, of {type, urn?, inputs, olds?, timeouts?, group?}
// (contract.Resource). Standard output: {"botocore": "<version>", "checked": N, "violations":
// [{type, urn, group, api, member, rule, source, id}]}. Exit 0 whether or not there are
// violations; 2 when the contract cannot run (botocore missing: run npm run setup).
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"flask-fargate/tests/engine/standin/internal/contract"
)

func main() {
	if err := run(os.Stdin, os.Stdout); err != nil {
		fmt.Fprintf(os.Stderr, "aws-contract: %v\n", err)
		os.Exit(2)
	}
}

func run(in io.Reader, out io.Writer) error {
	data, err := io.ReadAll(in)
	if err != nil {
		return err
	}
	var resources []contract.Resource
	if trimmed := bytes.TrimSpace(data); len(trimmed) > 0 && trimmed[0] == '[' {
		if err := json.Unmarshal(trimmed, &resources); err != nil {
			return fmt.Errorf("reading the JSON array: %w", err)
		}
	} else {
		lines := bufio.NewScanner(bytes.NewReader(data))
		lines.Buffer(make([]byte, 1024*1024), 64*1024*1024)
		for n := 1; lines.Scan(); n++ {
			if len(bytes.TrimSpace(lines.Bytes())) == 0 {
				continue
			}
			var r contract.Resource
			if err := json.Unmarshal(lines.Bytes(), &r); err != nil {
				return fmt.Errorf("line %d: %w", n, err)
			}
			resources = append(resources, r)
		}
	}
	checker, err := contract.NewChecker()
	if err != nil {
		return err
	}
	violations := []contract.Violation{}
	for _, r := range resources {
		vs, err := checker.Check(r)
		if err != nil {
			return err
		}
		violations = append(violations, vs...)
	}
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	return enc.Encode(map[string]any{"botocore": checker.Models().Version(), "checked": len(resources), "violations": violations})
}
