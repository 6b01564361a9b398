/** z for two-sided 95% and 99.8% limits (Spiegelhalter's funnel plots). */
export const Z95 = 1.959963984540054;
export const Z998 = 3.090232306167813;

export enum FunnelPosition {
  WITHIN = 'WITHIN',
  ABOVE_95 = 'ABOVE_95',
  ABOVE_998 = 'ABOVE_998',
  BELOW_95 = 'BELOW_95',
  BELOW_998 = 'BELOW_998',
}

export interface FunnelLimits {
  lower95: number;
  upper95: number;
  lower998: number;
  upper998: number;
}

/**
 * Limits for a proportion around the overall rate `p` for an organisation of volume `n`:
 * p +/- z * sqrt(p(1-p)/n), clamped to [0, 1] because a proportion cannot leave it.
 */
export function funnelLimits(p: number, n: number): FunnelLimits {
  if (!(n > 0)) throw new RangeError(`funnel volume ${n} must be greater than zero`);
  if (!(p >= 0 && p <= 1))
    throw new RangeError(`overall rate ${p} must be a proportion between 0 and 1`);
  const se = Math.sqrt((p * (1 - p)) / n);
  const clamp = (x: number) => Math.min(1, Math.max(0, x));
  return {
    lower95: clamp(p - Z95 * se),
    upper95: clamp(p + Z95 * se),
    lower998: clamp(p - Z998 * se),
    upper998: clamp(p + Z998 * se),
  };
}

/** Where a rate lies against its limits: within the 95% limits, or beyond 95% or 99.8% on either side. */
export function funnelPosition(rate: number, limits: FunnelLimits): FunnelPosition {
  if (rate > limits.upper998) return FunnelPosition.ABOVE_998;
  if (rate > limits.upper95) return FunnelPosition.ABOVE_95;
  if (rate < limits.lower998) return FunnelPosition.BELOW_998;
  if (rate < limits.lower95) return FunnelPosition.BELOW_95;
  return FunnelPosition.WITHIN;
}
