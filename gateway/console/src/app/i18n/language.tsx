import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';

/** The console's languages: Chinese first, English on the switch. */
export type Language = 'zh' | 'en';

/** A screen's messages in both languages (the English ones must have the same keys). */
export type Messages<K extends string> = { zh: Record<K, string>; en: Record<K, string> };

const STORAGE_KEY = 'p2p.console.language';

interface LanguageState {
  language: Language;
  setLanguage(language: Language): void;
}

const LanguageContext = createContext<LanguageState>({ language: 'zh', setLanguage: () => {} });

function storedLanguage(): Language {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'zh';
  } catch {
    return 'zh';
  }
}

/** Keeps the chosen language (in `localStorage`) and sets `<html lang>`. */
export function LanguageProvider({ children }: { children: ReactNode }) {
  const [language, setState] = useState<Language>(storedLanguage);
  const setLanguage = useCallback((next: Language) => {
    setState(next);
    document.documentElement.lang = next === 'zh' ? 'zh-CN' : 'en';
    try {
      localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // private mode: the choice lasts for the page
    }
  }, []);
  const value = useMemo(() => ({ language, setLanguage }), [language, setLanguage]);
  return <LanguageContext.Provider value={value}>{children}</LanguageContext.Provider>;
}

/** The current language and its setter. */
export function useLanguage(): LanguageState {
  return useContext(LanguageContext);
}

/**
 * A screen's translator: `t('key')`, or `t('key', { n: 3 })` replacing `{n}` in the message.
 * Each screen keeps its own catalogue beside it (`messages.ts`).
 */
export function useT<K extends string>(
  messages: Messages<K>,
): (key: K, values?: Record<string, string | number>) => string {
  const { language } = useLanguage();
  return useCallback(
    (key: K, values?: Record<string, string | number>) => {
      const text = messages[language][key] ?? messages.zh[key] ?? key;
      return values
        ? text.replace(/\{(\w+)\}/g, (whole, name: string) => String(values[name] ?? whole))
        : text;
    },
    [language, messages],
  );
}
