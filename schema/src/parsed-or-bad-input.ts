import { badInput } from './errors.ts';

/**
 * What `parse` makes of an argument, or a bad input naming the field, the value and the rule.
 *
 * The rule is the RangeError's message (the shared parsers, parsePeriod and parsePreciseDate, name
 * the value and the rule in it), or what `rule` makes of that message. Only a RangeError is the
 * caller's mistake: anything else `parse` throws is a fault of ours and goes on as it is, to be
 * masked as INTERNAL_SERVER_ERROR rather than blamed on the caller.
 */
export function parsedOrBadInput<V, T>(
  field: string,
  value: V,
  parse: (value: V) => T,
  rule: (message: string) => string = (message) => message,
): T {
  try {
    return parse(value);
  } catch (error) {
    if (error instanceof RangeError) throw badInput(field, value, rule(error.message));
    throw error;
  }
}
