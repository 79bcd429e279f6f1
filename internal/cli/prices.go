package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/sodamolek/sodamolek/internal/app"
	"github.com/sodamolek/sodamolek/internal/platform/config"
	"github.com/sodamolek/sodamolek/internal/platform/i18n"
	"github.com/sodamolek/sodamolek/internal/prices"
)

func init() {
	Register(Command{Name: "prices import", Summary: "import commodities, markets or price observations from a CSV file (all or nothing)", Run: runPricesImport})
	Register(Command{Name: "prices basket", Summary: "create or replace a price-index basket from a weights CSV file", Run: runPricesBasket})
}

// runPricesImport is "sodamolek prices import --kind KIND [--data DIR |
// --db URL] FILE.csv". Every line is checked first; a bad line is
// reported on stderr as "line N: …" and nothing of the file is imported.
func runPricesImport(ctx context.Context, env Env, args []string) error {
	f := NewFlags(env, "prices import", config.Storage)
	kind := f.String("kind", "", "what the file holds: "+strings.Join(prices.ImportKinds, ", ")+
		" (headers: observations date,market_code,commodity_code,price[,trader]; commodities code,name,unit,group_code[,het]; markets code,name[,lat,lon])")
	flags, files := splitArgs(f.FlagSet, args)
	if err := f.Parse(flags); err != nil {
		return err
	}
	if len(files) != 1 {
		return errors.New("give exactly one CSV file, e.g. sodamolek prices import --kind observations prices.csv")
	}
	file, err := os.Open(files[0])
	if err != nil {
		return err
	}
	defer file.Close()
	a, store, err := openPrices(ctx, f)
	if err != nil {
		return err
	}
	defer a.Close()
	res, err := store.Import(ctx, prices.Actor{System: "cli"}, *kind, file)
	if errors.Is(err, prices.ErrInvalidFile) {
		printImportErrors(env, a, res.Errors)
		return fmt.Errorf("%s: %d invalid lines, nothing imported", files[0], len(res.Errors))
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "%s: %d %s lines imported (%d new, %d updated)\n", files[0], res.Rows, res.Kind, res.Created, res.Updated)
	return nil
}

// runPricesBasket is "sodamolek prices basket --name NAME --base YYYY-MM
// --weights FILE.csv" (header commodity_code,weight).
func runPricesBasket(ctx context.Context, env Env, args []string) error {
	f := NewFlags(env, "prices basket", config.Storage)
	name := f.String("name", "", "basket name, e.g. \"IHK Pangan Kota Kupang\"")
	base := f.String("base", "", "base month YYYY-MM, where the index is 100")
	weights := f.String("weights", "", "CSV file commodity_code,weight (weight: base-period expenditure value)")
	flags, rest := splitArgs(f.FlagSet, args)
	if err := f.Parse(flags); err != nil {
		return err
	}
	if len(rest) == 1 && *weights == "" {
		*weights = rest[0]
	} else if len(rest) > 0 {
		return fmt.Errorf("unexpected argument %q", rest[0])
	}
	if strings.TrimSpace(*name) == "" || *base == "" || *weights == "" {
		return errors.New("--name, --base and --weights are required")
	}
	file, err := os.Open(*weights)
	if err != nil {
		return err
	}
	defer file.Close()
	a, store, err := openPrices(ctx, f)
	if err != nil {
		return err
	}
	defer a.Close()
	res, err := store.ImportBasket(ctx, prices.Actor{System: "cli"}, *name, *base, file)
	if errors.Is(err, prices.ErrInvalidFile) {
		printImportErrors(env, a, res.Errors)
		return fmt.Errorf("%s: %d invalid lines, basket not saved", *weights, len(res.Errors))
	}
	var fe *prices.FieldError
	if errors.As(err, &fe) {
		return fmt.Errorf("--%s: %s", fe.Field, a.Deps.Shell.Catalog().T(i18n.English, fe.Key, fe.Args...))
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "basket %q saved: base %s, %d commodities; its index is recomputed in the background\n", strings.TrimSpace(*name), *base, res.Created)
	return nil
}

func openPrices(ctx context.Context, f *Flags) (*app.App, *prices.Store, error) {
	a, err := OpenApp(ctx, f)
	if err != nil {
		return nil, nil, err
	}
	for _, m := range a.Modules {
		if pm, ok := m.(*prices.Module); ok {
			return a, pm.Store(), nil
		}
	}
	a.Close()
	return nil, nil, errors.New("the prices module is not part of this build")
}

func printImportErrors(env Env, a *app.App, errs []prices.ImportError) {
	for _, e := range errs {
		fmt.Fprintln(env.Stderr, prices.FormatImportError(a.Deps.Shell.Catalog(), i18n.English, e))
	}
}

// splitArgs separates flags (with their values) from positional
// arguments, which the flag package would otherwise only accept after the
// last flag: "--kind markets FILE.csv --db URL" works too.
func splitArgs(fs *flag.FlagSet, args []string) (flags, positional []string) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			return flags, append(positional, args[i+1:]...)
		}
		if !strings.HasPrefix(a, "-") || a == "-" {
			positional = append(positional, a)
			continue
		}
		flags = append(flags, a)
		name := strings.TrimLeft(a, "-")
		if strings.Contains(name, "=") {
			continue
		}
		fl := fs.Lookup(name)
		if fl == nil {
			continue // Parse reports it
		}
		if b, ok := fl.Value.(interface{ IsBoolFlag() bool }); ok && b.IsBoolFlag() {
			continue
		}
		if i+1 < len(args) {
			i++
			flags = append(flags, args[i])
		}
	}
	return flags, positional
}
