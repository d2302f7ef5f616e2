/** Polls `condition` every 100 ms; fails after `tries` polls (default 200, about 20 s). */
export async function waitUntil(condition: () => Promise<boolean>, tries = 200): Promise<void> {
  for (let attempt = 0; attempt < tries; attempt++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`condition not reached after ${tries} polls`);
}
