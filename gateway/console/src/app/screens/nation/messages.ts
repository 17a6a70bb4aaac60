import type { Messages } from '../../i18n/language';

/** The nation screen's messages. */
export const NATION_MESSAGES: Messages<
  | 'title'
  | 'nation'
  | 'breadcrumb'
  | 'figure'
  | 'chartFigure'
  | 'registered'
  | 'atHome'
  | 'travelling'
  | 'atWork'
  | 'underObservation'
  | 'out'
  | 'outRate'
  | 'movedToday'
  | 'movedTodayNote'
  | 'tripsOut'
  | 'passengersOut'
  | 'tripsIn'
  | 'passengersIn'
  | 'tripsInternal'
  | 'passengersInternal'
  | 'movedOut'
  | 'movedIn'
  | 'vehicles'
  | 'enterprises'
  | 'keyEnterprises'
  | 'openings'
  | 'filled'
  | 'keyOpenings'
  | 'keyFilled'
  | 'keyFillRate'
  | 'withinTownship'
  | 'withinCounty'
  | 'withinCity'
  | 'withinProvince'
  | 'crossProvince'
  | 'region'
  | 'code'
  | 'status'
  | 'statusOk'
  | 'statusEmpty'
  | 'statusUnavailable'
  | 'totals'
  | 'mapTitle'
  | 'mapLabel'
  | 'mapLegend'
  | 'childrenTitle'
  | 'childrenLabel'
  | 'seriesTitle'
  | 'seriesLabel'
  | 'seriesDays'
  | 'day'
  | 'movedThatDay'
  | 'flowTitle'
  | 'flowLabel'
  | 'keyFillTitle'
  | 'keyFillLabel'
  | 'corridorsTitle'
  | 'corridorsLabel'
  | 'origin'
  | 'destination'
  | 'movedTrips'
  | 'movedPassengers'
  | 'showTable'
  | 'hideTable'
  | 'loading'
  | 'failed'
  | 'partial'
  | 'asOf'
  | 'latest'
  | 'drillDown'
  | 'trips'
  | 'passengers'
  | 'indicator'
  | 'value'
  | 'refresh'
> = {
  zh: {
    title: '全国概览',
    nation: '全国',
    breadcrumb: '当前范围',
    figure: '地图着色指标',
    chartFigure: '图表指标',
    registered: '登记人数',
    atHome: '在家',
    travelling: '在途',
    atWork: '在岗',
    underObservation: '隔离观察',
    out: '已外出',
    outRate: '外出率',
    movedToday: '今日出发',
    movedTodayNote:
      '今日出发 = 从本地区出发（出区域及区域内）的已出发乘客，当前累计减去昨日末累计（中国标准时间）',
    tripsOut: '外出班次',
    passengersOut: '外出人数',
    tripsIn: '来入班次',
    passengersIn: '来入人数',
    tripsInternal: '区域内班次',
    passengersInternal: '区域内人数',
    movedOut: '已送出人数',
    movedIn: '已送入人数',
    vehicles: '车辆（班）',
    enterprises: '企业数',
    keyEnterprises: '重点企业',
    openings: '用工缺口',
    filled: '已满足',
    keyOpenings: '重点企业缺口',
    keyFilled: '重点企业已满足',
    keyFillRate: '重点企业用工满足率',
    withinTownship: '乡镇内',
    withinCounty: '县内跨乡',
    withinCity: '市内跨县',
    withinProvince: '省内跨市',
    crossProvince: '跨省',
    region: '地区',
    code: '代码',
    status: '状态',
    statusOk: '正常',
    statusEmpty: '无数据',
    statusUnavailable: '省份不可用',
    totals: '合计',
    mapTitle: '各省分布',
    mapLabel: '各省瓦片地图，按{figure}着色；数字见表格',
    mapLegend:
      '浅灰：无数据或未接入；红色斜纹：省份暂不可用；红线：省际流向，线宽按已出发人数，虚线为仅有计划',
    childrenTitle: '下级地区',
    childrenLabel: '下级地区柱状图：{figure}；数字见表格',
    seriesTitle: '每日趋势（近 {n} 天）',
    seriesLabel: '每日趋势折线图；数字见表格',
    seriesDays: '天数',
    day: '日期',
    movedThatDay: '当日出发',
    flowTitle: '务工人员五类流向（河北口径）',
    flowLabel: '五类流向堆积柱状图；数字见表格',
    keyFillTitle: '重点企业用工满足率',
    keyFillLabel: '重点企业用工满足率柱状图；数字见表格',
    corridorsTitle: '省际流向',
    corridorsLabel: '省际流向柱状图：各线路已出发人数；数字见表格',
    origin: '出发省份',
    destination: '到达省份',
    movedTrips: '已出发班次',
    movedPassengers: '已出发人数',
    showTable: '显示表格',
    hideTable: '隐藏表格',
    loading: '加载中…',
    failed: '查询失败',
    partial: '部分省份未应答，缺失部分按 0 计：',
    asOf: '数据时间',
    latest: '最新',
    drillDown: '查看 {name} 下级地区',
    trips: '班次',
    passengers: '人数',
    indicator: '指标',
    value: '数值',
    refresh: '刷新',
  },
  en: {
    title: 'Nation at a glance',
    nation: 'Nation',
    breadcrumb: 'Scope',
    figure: 'Colour the map by',
    chartFigure: 'Chart the figure',
    registered: 'Registered',
    atHome: 'At home',
    travelling: 'Travelling',
    atWork: 'At work',
    underObservation: 'Under observation',
    out: 'Gone out',
    outRate: 'Out-rate',
    movedToday: 'Moved today',
    movedTodayNote:
      'Moved today = departed passengers from inside the region (leaving it or within it): the running total now minus the total at the end of yesterday (China Standard Time)',
    tripsOut: 'Trips out',
    passengersOut: 'Passengers out',
    tripsIn: 'Trips in',
    passengersIn: 'Passengers in',
    tripsInternal: 'Trips within',
    passengersInternal: 'Passengers within',
    movedOut: 'Moved out',
    movedIn: 'Moved in',
    vehicles: 'Vehicles',
    enterprises: 'Enterprises',
    keyEnterprises: 'Key enterprises',
    openings: 'Openings',
    filled: 'Filled',
    keyOpenings: 'Key openings',
    keyFilled: 'Key filled',
    keyFillRate: 'Key-enterprise fill rate',
    withinTownship: 'Within township',
    withinCounty: 'Within county',
    withinCity: 'Within city',
    withinProvince: 'Within province',
    crossProvince: 'Cross-province',
    region: 'Region',
    code: 'Code',
    status: 'Status',
    statusOk: 'OK',
    statusEmpty: 'No data',
    statusUnavailable: 'Province unavailable',
    totals: 'Totals',
    mapTitle: 'Provinces',
    mapLabel: 'Tile map of the provinces coloured by {figure}; the numbers are in the table',
    mapLegend:
      'Light grey: no data or not connected; red hatching: province unavailable; red lines: flows between provinces, as wide as the passengers departed, dashed when only planned',
    childrenTitle: 'Regions below',
    childrenLabel: 'Bar chart of the regions below: {figure}; the numbers are in the table',
    seriesTitle: 'Daily series (last {n} days)',
    seriesLabel: 'Line chart of the daily series; the numbers are in the table',
    seriesDays: 'Days',
    day: 'Day',
    movedThatDay: 'Moved that day',
    flowTitle: "Workers' five flow classes (Hebei's)",
    flowLabel: 'Stacked bar chart of the five flow classes; the numbers are in the table',
    keyFillTitle: 'Key-enterprise fill rate',
    keyFillLabel: 'Bar chart of the key-enterprise fill rate; the numbers are in the table',
    corridorsTitle: 'Flows between provinces',
    corridorsLabel:
      'Bar chart of the flows between provinces: passengers departed per corridor; the numbers are in the table',
    origin: 'From province',
    destination: 'To province',
    movedTrips: 'Trips departed',
    movedPassengers: 'Passengers departed',
    showTable: 'Show table',
    hideTable: 'Hide table',
    loading: 'Loading…',
    failed: 'Query failed',
    partial: 'Some provinces did not answer; their parts read 0:',
    asOf: 'Figures as of',
    latest: 'latest',
    drillDown: 'Regions below {name}',
    trips: 'Trips',
    passengers: 'Passengers',
    indicator: 'Figure',
    value: 'Value',
    refresh: 'Refresh',
  },
};
