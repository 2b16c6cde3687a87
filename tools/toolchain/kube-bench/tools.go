//go:build tools

package tools

import _ "github.com/aquasecurity/kube-bench"
