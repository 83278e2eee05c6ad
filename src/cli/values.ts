// Parsers for flag values; a bad value is refused by commander with the flag's name.
import { InvalidArgumentError } from "commander";
import { LORA_SCALE_DEFAULT } from "../contract/requests.js";

export function integer(raw: string): number {
  const value = Number(raw);
  if (raw.trim() === "" || !Number.isInteger(value)) {
    throw new InvalidArgumentError("not an integer.");
  }
  return value;
}

export function number(raw: string): number {
  const value = Number(raw);
  if (raw.trim() === "" || !Number.isFinite(value)) throw new InvalidArgumentError("not a number.");
  return value;
}

/** "1,2,3" -> [1, 2, 3] */
export function integerList(raw: string): number[] {
  return raw.split(",").map((entry) => integer(entry.trim()));
}

/** For repeatable flags: each use adds one value. */
export function collect<T>(parse: (raw: string) => T) {
  return (raw: string, previous: T[] | undefined): T[] => [...(previous ?? []), parse(raw)];
}

export interface LoraChoice {
  name: string;
  scale: number;
}

/** "name" or "name:scale" (the scale after the last colon; the API's default when absent). */
export function lora(raw: string): LoraChoice {
  const colon = raw.lastIndexOf(":");
  if (colon <= 0) return { name: raw, scale: LORA_SCALE_DEFAULT };
  return { name: raw.slice(0, colon), scale: number(raw.slice(colon + 1)) };
}
