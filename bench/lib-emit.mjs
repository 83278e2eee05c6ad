// One figure per line on stdout, as every benchmark under bench/ prints them:
// {"bench", "metric", "value", "unit", ...setting, "load_avg_1m", "date"}.
import { loadavg } from "node:os";

/** An emitter for `bench`'s figures, dated with the run's start; values to `digits` digits. */
export function figureEmitter(bench, digits = 6) {
  const date = new Date().toISOString();
  return (metric, value, unit, fields = {}) => {
    const load = Number(loadavg()[0].toFixed(2));
    const rounded = Number(value.toPrecision(digits));
    console.log(
      JSON.stringify({ bench, metric, value: rounded, unit, ...fields, load_avg_1m: load, date }),
    );
  };
}
