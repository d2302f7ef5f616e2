// The HPACK decoder against the examples of RFC 7541 Appendix C, and the re-encoder against it.
import { describe, expect, it } from 'vitest';
import { encodeWithoutIndexing, HpackDecoder, HpackError, type HeaderField } from './hpack.ts';

const hex = (text: string) => Buffer.from(text.replace(/\s+/g, ''), 'hex');
const pairs = (fields: HeaderField[]) => fields.map(({ name, value }) => [name, value]);

const REQUESTS = [
  [[':method', 'GET'], [':scheme', 'http'], [':path', '/'], [':authority', 'www.example.com']],
  [[':method', 'GET'], [':scheme', 'http'], [':path', '/'], [':authority', 'www.example.com'], ['cache-control', 'no-cache']],
  [[':method', 'GET'], [':scheme', 'https'], [':path', '/index.html'], [':authority', 'www.example.com'], ['custom-key', 'custom-value']],
];
/** The dynamic table size after each request (C.3, C.4). */
const REQUEST_TABLE_SIZES = [57, 110, 164];

const RESPONSES = [
  [[':status', '302'], ['cache-control', 'private'], ['date', 'Mon, 21 Oct 2013 20:13:21 GMT'], ['location', 'https://www.example.com']],
  [[':status', '307'], ['cache-control', 'private'], ['date', 'Mon, 21 Oct 2013 20:13:21 GMT'], ['location', 'https://www.example.com']],
  [
    [':status', '200'], ['cache-control', 'private'], ['date', 'Mon, 21 Oct 2013 20:13:22 GMT'], ['location', 'https://www.example.com'],
    ['content-encoding', 'gzip'], ['set-cookie', 'foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1'],
  ],
];
/** The dynamic table size after each response with a 256-octet table (C.5, C.6): evictions. */
const RESPONSE_TABLE_SIZES = [222, 222, 215];

function decodesInSequence(decoder: HpackDecoder, blocks: string[], expected: string[][][], tableSizes: number[]) {
  blocks.forEach((block, i) => {
    expect(pairs(decoder.decode(hex(block)))).toEqual(expected[i]);
    expect(decoder.dynamicTableSize).toBe(tableSizes[i]);
  });
}

describe('HpackDecoder on RFC 7541 Appendix C', () => {
  it('C.2.1: literal with indexing', () => {
    const decoder = new HpackDecoder();
    expect(pairs(decoder.decode(hex('400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572')))).toEqual([['custom-key', 'custom-header']]);
    expect(decoder.dynamicTableSize).toBe(55);
  });

  it('C.2.3: literal never indexed is marked so', () => {
    const decoder = new HpackDecoder();
    expect(decoder.decode(hex('1008 7061 7373 776f 7264 0673 6563 7265 74'))).toEqual([{ name: 'password', value: 'secret', neverIndexed: true }]);
    expect(decoder.dynamicTableSize).toBe(0);
  });

  it('C.3: requests without Huffman coding', () => {
    decodesInSequence(
      new HpackDecoder(),
      [
        '8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d',
        '8286 84be 5808 6e6f 2d63 6163 6865',
        '8287 85bf 400a 6375 7374 6f6d 2d6b 6579 0c63 7573 746f 6d2d 7661 6c75 65',
      ],
      REQUESTS,
      REQUEST_TABLE_SIZES,
    );
  });

  it('C.4: requests with Huffman coding', () => {
    decodesInSequence(
      new HpackDecoder(),
      [
        '8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff',
        '8286 84be 5886 a8eb 1064 9cbf',
        '8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf',
      ],
      REQUESTS,
      REQUEST_TABLE_SIZES,
    );
  });

  it('C.5: responses without Huffman coding, evicting from a 256-octet table', () => {
    decodesInSequence(
      new HpackDecoder({ maxTableSize: 256 }),
      [
        `4803 3330 3258 0770 7269 7661 7465 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 2032 303a 3133 3a32 3120 474d
         546e 1768 7474 7073 3a2f 2f77 7777 2e65 7861 6d70 6c65 2e63 6f6d`,
        '4803 3330 37c1 c0bf',
        `88c1 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 2032 303a 3133 3a32 3220 474d 54c0 5a04 677a 6970 7738 666f
         6f3d 4153 444a 4b48 514b 425a 584f 5157 454f 5049 5541 5851 5745 4f49 553b 206d 6178 2d61 6765 3d33 3630 303b
         2076 6572 7369 6f6e 3d31`,
      ],
      RESPONSES,
      RESPONSE_TABLE_SIZES,
    );
  });

  it('C.6: responses with Huffman coding, evicting from a 256-octet table', () => {
    decodesInSequence(
      new HpackDecoder({ maxTableSize: 256 }),
      [
        `4882 6402 5885 aec3 771a 4b61 96d0 7abe 9410 54d4 44a8 2005 9504 0b81 66e0 82a6 2d1b ff6e 919d 29ad 1718 63c7
         8f0b 97c8 e9ae 82ae 43d3`,
        '4883 640e ffc1 c0bf',
        `88c1 6196 d07a be94 1054 d444 a820 0595 040b 8166 e084 a62d 1bff c05a 839b d9ab 77ad 94e7 821d d7f2 e6c7 b335
         dfdf cd5b 3960 d5af 2708 7f36 72c1 ab27 0fb5 291f 9587 3160 65c0 03ed 4ee5 b106 3d50 07`,
      ],
      RESPONSES,
      RESPONSE_TABLE_SIZES,
    );
  });
});

describe('HpackDecoder refuses malformed blocks', () => {
  const refuses = (block: string, options = {}) => expect(() => new HpackDecoder(options).decode(hex(block))).toThrow(HpackError);

  it('index 0 and indexes past the tables', () => {
    refuses('80');
    refuses('be');
  });

  it('truncated integers and strings', () => {
    refuses('ff');
    refuses('ff80');
    refuses('400a 6375');
  });

  it('Huffman strings with EOS or bad padding', () => {
    // ':path' with a Huffman value of EOS (30 ones) and padding.
    refuses('04 84 ffff fffc');
    // 'a' (00011) padded with zeros instead of ones.
    refuses('04 81 18');
    // 'a' then 8 bits of padding.
    refuses('04 82 1fff');
  });

  it('table size updates above the limit or after a field', () => {
    refuses('3fe2 1f', { maxTableSize: 4096 });
    refuses('82 20');
  });

  it('integers that do not fit', () => {
    refuses('ff ffff ffff ff0f');
  });

  it('header lists larger than the limit', () => {
    refuses('8286', { maxHeaderListSize: 40 });
  });
});

describe('HpackDecoder dynamic table size updates', () => {
  const addCustomKey = '400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572';

  it('evicts on shrinking: size 0 then 4096 forgets the entry', () => {
    const decoder = new HpackDecoder();
    decoder.decode(hex(addCustomKey));
    expect(() => decoder.decode(hex('20 3fe1 1f be'))).toThrow(HpackError);
  });

  it('keeps entries that still fit', () => {
    const decoder = new HpackDecoder();
    decoder.decode(hex(addCustomKey));
    // Size 55 (0x20 | 31, then 24): exactly the entry.
    expect(pairs(decoder.decode(hex('3f18 be')))).toEqual([['custom-key', 'custom-header']]);
    expect(decoder.dynamicTableSize).toBe(55);
  });
});

describe('encodeWithoutIndexing', () => {
  const fields: HeaderField[] = [
    { name: ':method', value: 'POST', neverIndexed: false },
    { name: ':authority', value: '127.0.0.1:2379', neverIndexed: false },
    { name: 'x-custom', value: 'v'.repeat(300), neverIndexed: false },
    { name: 'authorization', value: 'secret', neverIndexed: true },
    { name: 'x-octets', value: '\u00ff\u0080\u0001', neverIndexed: false },
  ];

  it('round-trips through the decoder, keeping never-indexed fields so', () => {
    expect(new HpackDecoder().decode(encodeWithoutIndexing(fields))).toEqual(fields);
  });

  it('leaves the receiver dynamic table empty', () => {
    const decoder = new HpackDecoder();
    decoder.decode(encodeWithoutIndexing(fields));
    decoder.decode(encodeWithoutIndexing(fields));
    expect(decoder.dynamicTableSize).toBe(0);
  });

  it('names static-table names by index', () => {
    // ':method' is static index 2: 0000 0010, then the length 4 and "POST".
    expect(encodeWithoutIndexing([fields[0]]).toString('hex')).toBe('0204504f5354');
  });
});
