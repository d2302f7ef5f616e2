// resource.Quantity: parsing, the canonical serialized form, comparison and arithmetic.
export { QuantityError, type Quantity, type QuantityFormat } from './quantity.ts';
export { parseQuantity } from './parse.ts';
export { canonicalQuantity } from './canonical.ts';
export {
  compareQuantities,
  addQuantities,
  subtractQuantities,
  quantityValue,
  quantityMilliValue,
} from './arithmetic.ts';
