import { useEffect, useState } from 'react';

/** The current time in ms, renewed every `periodMs` (relative times stay true while the page is open). */
export function useNow(periodMs = 60_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), periodMs);
    return () => clearInterval(timer);
  }, [periodMs]);
  return now;
}
