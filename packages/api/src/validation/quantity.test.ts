import { describe, expect, it } from 'vitest';
import type { Quantity } from './quantity.ts';
import { ERR_FORMAT_WRONG, goQuantity, quantityOf, sign } from './quantity.ts';

const q = (value: string | number) => quantityOf(value) as Quantity;

describe('quantities in validation', () => {
  it('parse JSON strings and numbers, and return ParseQuantity\'s message for anything else', () => {
    expect(sign(q('500m'))).toBe(1);
    expect(sign(q(-1))).toBe(-1);
    expect(sign(q(' 0 '))).toBe(0);
    expect(quantityOf('lots')).toBe(ERR_FORMAT_WRONG);
    expect(quantityOf(true)).toBe(ERR_FORMAT_WRONG);
    expect(quantityOf('1ki')).toBe("unable to parse quantity's suffix");
  });

  it('render as Go prints a Quantity held by value', () => {
    expect(goQuantity(q('0'))).toBe(
      'resource.Quantity{i:resource.int64Amount{value:0, scale:0}, d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}, s:"0", Format:"DecimalSI"}',
    );
    expect(goQuantity(q('500m'))).toBe(
      'resource.Quantity{i:resource.int64Amount{value:500, scale:-3}, d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}, s:"500m", Format:"DecimalSI"}',
    );
    expect(goQuantity(q('1.5'))).toBe(
      'resource.Quantity{i:resource.int64Amount{value:15, scale:-1}, d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}, s:"", Format:"DecimalSI"}',
    );
  });
});
