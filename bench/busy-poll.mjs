// Loaded with `node --import` by `npm run bench:light` only, never by the gateway itself.
// SIGUSR2 turns busy polling on or off: while on, the event loop never sleeps (a chain of
// setImmediate keeps it polling with a zero timeout), so the process never leaves its
// CPU between requests. It shows what idle-and-wake costs here; it burns a whole core.
let on = false;
const spin = () => {
  if (on) setImmediate(spin);
};
process.on('SIGUSR2', () => {
  on = !on;
  spin();
});
