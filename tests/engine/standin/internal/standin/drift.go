// Test stand-in, not a provider: changes "made outside Pulumi", which Read reports the way a real
// provider reports what it reads back from AWS, so the engine tier can test drift detection.
//
// A test writes $PULUMI_HOME/standin-drift.json, a list of changes:
//
//	[{"resource": "aws:cloudwatch/logGroup:LogGroup::app-logs", "property": "retentionInDays", "value": 90},
//	 {"resource": "aws:sns/topic:Topic::alarms-topic", "deleted": true}]
//
// `resource` is a URN or its `type::name` tail; `property` a top-level property, set to `value`
// (null removes it) in both the state and the inputs Read returns, as a bridged provider returns
// both; `deleted` makes Read report the resource gone. Each engine tier project has its own
// PULUMI_HOME, so a drift file affects only the stacks of the test that wrote it; without the
// file (or without PULUMI_HOME) Read returns the state as stored.
package standin

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// DriftFile is the name of the drift file in $PULUMI_HOME.
const DriftFile = "standin-drift.json"

// drift is one change made outside Pulumi.
type drift struct {
	Resource string          `json:"resource"`
	Property string          `json:"property"`
	Value    json.RawMessage `json:"value"`
	Deleted  bool            `json:"deleted"`
}

// matches tells whether the change is about the resource urn: the whole URN, or its type::name tail.
func (d drift) matches(urn resource.URN) bool {
	u := string(urn)
	return u == d.Resource || strings.HasSuffix(u, "::"+d.Resource) || strings.HasSuffix(u, "$"+d.Resource)
}

// readDrift returns the changes of $PULUMI_HOME's drift file; none when there is no such file.
func readDrift() ([]drift, error) {
	home := os.Getenv("PULUMI_HOME")
	if home == "" {
		return nil, nil
	}
	data, err := os.ReadFile(filepath.Join(home, DriftFile))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var changes []drift
	if err := json.Unmarshal(data, &changes); err != nil {
		return nil, fmt.Errorf("%s: %w", DriftFile, err)
	}
	return changes, nil
}

// applyDrift returns what Read reports for urn: the id ("" when deleted outside Pulumi), the state
// and the inputs, with the drift file's changes applied, and whether any applied.
func applyDrift(urn resource.URN, id string, state, inputs resource.PropertyMap) (string, resource.PropertyMap, resource.PropertyMap, bool, error) {
	changes, err := readDrift()
	if err != nil {
		return "", nil, nil, false, err
	}
	drifted := false
	for _, d := range changes {
		if !d.matches(urn) {
			continue
		}
		if d.Deleted {
			return "", nil, nil, true, nil
		}
		var value any
		if len(d.Value) > 0 {
			if err := json.Unmarshal(d.Value, &value); err != nil {
				return "", nil, nil, false, fmt.Errorf("%s: value of %s.%s: %w", DriftFile, d.Resource, d.Property, err)
			}
		}
		drifted = true
		key := resource.PropertyKey(d.Property)
		state, inputs = state.Copy(), inputs.Copy()
		for _, m := range []resource.PropertyMap{state, inputs} {
			if value == nil {
				delete(m, key)
			} else {
				m[key] = resource.NewPropertyValue(value)
			}
		}
	}
	return id, state, inputs, drifted, nil
}
