// Command argocd-lua runs one Argo CD resource customization script the way Argo CD runs the
// scripts it reads from argocd-cm (argo-cd util/lua/lua.go, runLuaWithResourceActionParameters,
// lines 132-157 at commit 37ee0097; actions always, health checks unless
// resource.customizations.useOpenLibs.<group_kind> is true):
// gopher-lua started with SkipOpenLibs, then only the package, base and table libraries;
// Argo CD's reduced os library (time and date) is reachable only through require("os"),
// because its OpenSafeOs registers under the name of the already loaded table library and so
// adds nothing; the object is the global obj, the action parameters the global actionParams,
// and the script has one second.
//
// Usage: argocd-lua health|discovery|action SCRIPT OBJECT_JSON
//
// Prints what Argo CD makes of the script's result as JSON: the health status, the list of
// actions, or the changed object. A script error goes to stderr, exit status 1.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io/ioutil"
	"os"
	"sort"
	"strings"
	"time"

	lua "github.com/yuin/gopher-lua"
)

func main() {
	if len(os.Args) != 4 {
		fail("usage: argocd-lua health|discovery|action SCRIPT OBJECT_JSON")
	}
	script, err := ioutil.ReadFile(os.Args[2])
	check(err)
	objectJSON, err := ioutil.ReadFile(os.Args[3])
	check(err)
	var object map[string]interface{}
	check(json.Unmarshal(objectJSON, &object))

	result, err := run(object, string(script))
	if err != nil {
		fail(err.Error())
	}
	var output interface{}
	switch os.Args[1] {
	case "health":
		output, err = health(result)
	case "discovery":
		output, err = discovery(result)
	case "action":
		output, err = action(result, object)
	default:
		err = fmt.Errorf("unknown mode %q", os.Args[1])
	}
	if err != nil {
		fail(err.Error())
	}
	encoded, err := json.Marshal(output)
	check(err)
	fmt.Println(string(encoded))
}

func run(object map[string]interface{}, script string) (interface{}, error) {
	l := lua.NewState(lua.Options{SkipOpenLibs: true})
	defer l.Close()
	for _, library := range []struct {
		name string
		open lua.LGFunction
	}{
		{lua.LoadLibName, lua.OpenPackage},
		{lua.BaseLibName, lua.OpenBase},
		{lua.TabLibName, lua.OpenTable},
		{lua.OsLibName, openSafeOs},
	} {
		if err := l.CallByParam(lua.P{Fn: l.NewFunction(library.open), NRet: 0, Protect: true}, lua.LString(library.name)); err != nil {
			return nil, err
		}
	}
	l.PreloadModule(lua.OsLibName, func(l *lua.LState) int {
		l.Push(l.SetFuncs(l.NewTable(), safeOsFunctions))
		return 1
	})

	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	l.SetContext(ctx)
	l.SetGlobal("actionParams", l.CreateTable(0, 0))
	l.SetGlobal("obj", toLua(l, object))

	function, err := l.LoadString(script)
	if err != nil {
		return nil, err
	}
	l.Push(function)
	if err := l.PCall(0, lua.MultRet, nil); err != nil {
		if apiError, ok := err.(*lua.ApiError); ok && apiError.Type == lua.ApiErrorRun {
			apiError.StackTrace = ""
			return nil, apiError
		}
		return nil, err
	}
	returned := l.Get(-1)
	if returned.Type() != lua.LTTable {
		return nil, fmt.Errorf("expect table output from Lua script, not %s", returned.Type().String())
	}
	return fromLua(returned)
}

// openSafeOs mirrors Argo CD's OpenSafeOs: it registers the os functions under the table
// library's name, which is loaded already, so no global os appears.
func openSafeOs(l *lua.LState) int {
	l.Push(l.RegisterModule(lua.TabLibName, safeOsFunctions))
	return 1
}

var safeOsFunctions = map[string]lua.LGFunction{"time": osTime, "date": osDate}

func osTime(l *lua.LState) int {
	if l.GetTop() == 0 {
		l.Push(lua.LNumber(time.Now().Unix()))
		return 1
	}
	fields := l.CheckTable(1)
	field := func(name string, fallback int) int {
		if number, ok := fields.RawGetString(name).(lua.LNumber); ok {
			return int(number)
		}
		return fallback
	}
	moment := time.Date(field("year", -1), time.Month(field("month", -1)), field("day", -1),
		field("hour", 12), field("min", 0), field("sec", 0), 0, time.Local)
	l.Push(lua.LNumber(moment.Unix()))
	return 1
}

var strftimeLayouts = map[byte]string{
	'a': "Mon", 'A': "Monday", 'b': "Jan", 'B': "January", 'c': "02 Jan 06 15:04 MST", 'd': "02",
	'F': "2006-01-02", 'H': "15", 'I': "03", 'm': "01", 'M': "04", 'p': "PM", 'P': "pm", 'S': "05",
	'x': "15/04/05", 'X': "15:04:05", 'y': "06", 'Y': "2006", 'z': "-0700", 'Z': "MST",
}

func osDate(l *lua.LState) int {
	moment := time.Now()
	format := "%c"
	if l.GetTop() >= 1 {
		format = l.CheckString(1)
		if strings.HasPrefix(format, "!") {
			moment = moment.UTC()
			format = strings.TrimLeft(format, "!")
		}
		if l.GetTop() >= 2 {
			moment = time.Unix(l.CheckInt64(2), 0)
		}
	}
	if strings.HasPrefix(format, "*t") {
		fields := l.NewTable()
		for name, value := range map[string]int{
			"year": moment.Year(), "month": int(moment.Month()), "day": moment.Day(), "hour": moment.Hour(),
			"min": moment.Minute(), "sec": moment.Second(), "wday": int(moment.Weekday()) + 1, "yday": 0,
		} {
			fields.RawSetString(name, lua.LNumber(value))
		}
		fields.RawSetString("isdst", lua.LFalse)
		l.Push(fields)
		return 1
	}
	var text strings.Builder
	for i := 0; i < len(format); i++ {
		if format[i] != '%' || i == len(format)-1 {
			text.WriteByte(format[i])
			continue
		}
		i++
		if layout, ok := strftimeLayouts[format[i]]; ok {
			text.WriteString(moment.Format(layout))
		} else if format[i] == 'w' {
			fmt.Fprint(&text, int(moment.Weekday()))
		} else if format[i] == '%' {
			text.WriteByte('%')
		} else {
			text.WriteByte('%')
			text.WriteByte(format[i])
		}
	}
	l.Push(lua.LString(text.String()))
	return 1
}

// toLua converts the object as Argo CD's decodeValue does: JSON numbers become Lua numbers,
// nulls become nil (absent keys).
func toLua(l *lua.LState, value interface{}) lua.LValue {
	switch converted := value.(type) {
	case bool:
		return lua.LBool(converted)
	case float64:
		return lua.LNumber(converted)
	case string:
		return lua.LString(converted)
	case []interface{}:
		list := l.CreateTable(len(converted), 0)
		for _, item := range converted {
			list.Append(toLua(l, item))
		}
		return list
	case map[string]interface{}:
		table := l.CreateTable(0, len(converted))
		for key, item := range converted {
			table.RawSetH(lua.LString(key), toLua(l, item))
		}
		return table
	}
	return lua.LNil
}

// fromLua converts a result as Argo CD's JSON encoding (layeh.com/gopher-json) does: a table
// keyed 1..n is an array, an empty table too, any other table an object.
func fromLua(value lua.LValue) (interface{}, error) {
	switch converted := value.(type) {
	case lua.LBool:
		return bool(converted), nil
	case lua.LNumber:
		return float64(converted), nil
	case lua.LString:
		return string(converted), nil
	case *lua.LNilType:
		return nil, nil
	case *lua.LTable:
		return tableFromLua(converted)
	}
	return nil, fmt.Errorf("cannot encode %s to JSON", value.Type().String())
}

func tableFromLua(table *lua.LTable) (interface{}, error) {
	keys := 0
	sequence := true
	table.ForEach(func(key, _ lua.LValue) {
		keys++
		if number, ok := key.(lua.LNumber); !ok || float64(number) < 1 || float64(number) != float64(int(number)) {
			sequence = false
		}
	})
	var err error
	if sequence && keys == table.MaxN() {
		list := make([]interface{}, 0, keys)
		for index := 1; index <= keys && err == nil; index++ {
			var item interface{}
			item, err = fromLua(table.RawGetInt(index))
			list = append(list, item)
		}
		return list, err
	}
	object := map[string]interface{}{}
	table.ForEach(func(key, item lua.LValue) {
		if err == nil {
			object[key.String()], err = fromLua(item)
		}
	})
	return object, err
}

var healthStatuses = map[string]bool{
	"Unknown": true, "Progressing": true, "Suspended": true, "Healthy": true, "Degraded": true, "Missing": true,
}

// health is ExecuteHealthLua: status and message; an unknown status is reported as Unknown.
func health(result interface{}) (interface{}, error) {
	fields, ok := result.(map[string]interface{})
	if !ok {
		return nil, fmt.Errorf("health script returned %v, not an object", result)
	}
	status, _ := fields["status"].(string)
	message, _ := fields["message"].(string)
	if !healthStatuses[status] {
		return map[string]string{"status": "Unknown", "message": "Lua returned an invalid health status"}, nil
	}
	return map[string]string{"status": status, "message": message}, nil
}

type resourceAction struct {
	Name        string `json:"name"`
	Disabled    bool   `json:"disabled"`
	IconClass   string `json:"iconClass"`
	DisplayName string `json:"displayName"`
}

// discovery is ExecuteResourceActionDiscovery: the actions by name, sorted.
func discovery(result interface{}) (interface{}, error) {
	actions := []resourceAction{}
	entries, _ := result.(map[string]interface{})
	for name, entry := range entries {
		action := resourceAction{Name: name}
		if fields, ok := entry.(map[string]interface{}); ok {
			encoded, err := json.Marshal(fields)
			if err != nil {
				return nil, err
			}
			if err := json.Unmarshal(encoded, &action); err != nil {
				return nil, err
			}
			action.Name = name
		}
		actions = append(actions, action)
	}
	sort.Slice(actions, func(i, j int) bool { return actions[i].Name < actions[j].Name })
	return actions, nil
}

// action is ExecuteResourceAction for an action that returns the changed object: empty
// tables that stood for objects in the input are objects again.
func action(result interface{}, input map[string]interface{}) (interface{}, error) {
	changed, ok := result.(map[string]interface{})
	if !ok {
		return nil, fmt.Errorf("action returned %v, not the changed object", result)
	}
	return restoreEmptyObjects(changed, input), nil
}

func restoreEmptyObjects(changed, original map[string]interface{}) map[string]interface{} {
	for key, before := range original {
		switch after := changed[key].(type) {
		case map[string]interface{}:
			if beforeObject, ok := before.(map[string]interface{}); ok {
				changed[key] = restoreEmptyObjects(after, beforeObject)
			}
		case []interface{}:
			if beforeObject, ok := before.(map[string]interface{}); ok && len(after) == 0 {
				changed[key] = beforeObject
			}
		}
	}
	return changed
}

func check(err error) {
	if err != nil {
		fail(err.Error())
	}
}

func fail(message string) {
	fmt.Fprintln(os.Stderr, message)
	os.Exit(1)
}
