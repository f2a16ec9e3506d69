// NHS numbers carry a modulus-11 check digit; a wrong one usually means a copy/paste slip or made-up test data.

/** True when `value` is ten digits whose last digit is the modulus-11 check digit of the first nine. */
export function isValidNhsNumber(value: string): boolean {
  const digits = value.replace(/\s+/g, '');
  if (!/^\d{10}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(digits[i]) * (10 - i);
  const check = 11 - (sum % 11);
  if (check === 10) return false; // no number is ever issued with this remainder
  return (check === 11 ? 0 : check) === Number(digits[9]);
}
