import type { Messages } from '../i18n/language';

/** The figures table's messages (downloads and the header block of the files). */
export const FIGURES_TABLE_MESSAGES: Messages<
  | 'downloadCsv'
  | 'downloadXlsx'
  | 'preparing'
  | 'downloadFailed'
  | 'title'
  | 'scope'
  | 'day'
  | 'asOf'
  | 'latest'
  | 'empty'
> = {
  zh: {
    downloadCsv: '下载 CSV',
    downloadXlsx: '下载 Excel',
    preparing: '正在生成…',
    downloadFailed: '下载失败',
    title: '表',
    scope: '范围',
    day: '日期',
    asOf: '数据时间',
    latest: '最新',
    empty: '暂无数据',
  },
  en: {
    downloadCsv: 'Download CSV',
    downloadXlsx: 'Download Excel',
    preparing: 'Preparing…',
    downloadFailed: 'Download failed',
    title: 'Table',
    scope: 'Scope',
    day: 'Day',
    asOf: 'Figures as of',
    latest: 'latest',
    empty: 'No figures',
  },
};
