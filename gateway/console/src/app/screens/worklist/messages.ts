import type { Messages } from '../../i18n/language';

/** The worklist's messages (Chinese first). */
export const WORKLIST_MESSAGES: Messages<
  | 'title'
  | 'tab_workers'
  | 'tab_requests'
  | 'tab_import'
  | 'workersTitle'
  | 'filters'
  | 'homeRegion'
  | 'wholeScope'
  | 'status'
  | 'anyStatus'
  | 'intentDestination'
  | 'intentFrom'
  | 'intentTo'
  | 'search'
  | 'loading'
  | 'workerCount'
  | 'selectedCount'
  | 'selectAllShown'
  | 'name'
  | 'travelIntent'
  | 'healthCode'
  | 'selectWorker'
  | 'loadMore'
  | 'status_AT_HOME'
  | 'status_TRAVELLING'
  | 'status_AT_WORK'
  | 'status_OBSERVATION'
  | 'tripTitle'
  | 'tripPlan'
  | 'tripMode'
  | 'mode_BUS'
  | 'mode_TRAIN'
  | 'mode_FLIGHT'
  | 'tripVehicle'
  | 'tripOrigin'
  | 'tripDestination'
  | 'tripDeparture'
  | 'tripArrival'
  | 'tripCapacity'
  | 'tripHeading'
  | 'tripStatus_PLANNED'
  | 'tripStatus_DEPARTED'
  | 'tripStatus_ARRIVED'
  | 'tripStatus_HANDED_OVER'
  | 'tripStatus_CANCELLED'
  | 'tripDepartsAt'
  | 'tripSeats'
  | 'tripAssign'
  | 'tripBoard'
  | 'manifest'
  | 'gatePresented'
  | 'gateTemperature'
  | 'gateOutcome'
  | 'unknownWorker'
  | 'gatePresentedOf'
  | 'gateTemperatureOf'
  | 'gateBoarded'
  | 'gateAssigned'
  | 'refusal_FEVER'
  | 'refusal_HEALTH_CODE'
  | 'refusal_NO_HEALTH_RECORD'
  | 'refusal_ABSENT'
  | 'requestsTitle'
  | 'requestsCount'
  | 'liveLost'
  | 'liveOn'
  | 'requestEnterprise'
  | 'requestDeparture'
  | 'requestReturnDate'
  | 'requestFiledAt'
  | 'request_FILED'
  | 'request_ACKNOWLEDGED'
  | 'request_ARRANGED'
  | 'request_ON_POST'
  | 'request_WITHDRAWN'
  | 'request_DECLINED'
  | 'importTitle'
  | 'importHint'
  | 'importFile'
  | 'importRunning'
  | 'importStart'
  | 'importProgress'
  | 'importProgressText'
  | 'importFailed'
  | 'importRows'
  | 'importRegistered'
  | 'importRejected'
  | 'importCalls'
  | 'rejectsTitle'
  | 'rejectsDownload'
  | 'rejectLine'
  | 'rejectCode'
  | 'rejectReason'
> = {
  zh: {
    title: '工作清单',
    tab_workers: '工人与一车一方案',
    tab_requests: '返岗申请',
    tab_import: '名册导入',
    workersTitle: '工人名单',
    filters: '筛选条件',
    homeRegion: '户籍地',
    wholeScope: '全辖区',
    status: '状态',
    anyStatus: '全部状态',
    intentDestination: '意向目的地（区划代码）',
    intentFrom: '意向出发不早于',
    intentTo: '意向出发不晚于',
    search: '查询',
    loading: '加载中…',
    workerCount: '共 {total} 人，已显示 {shown} 人',
    selectedCount: '已选 {n} 人',
    selectAllShown: '选择本页全部工人',
    name: '姓名',
    travelIntent: '出行意向',
    healthCode: '健康码',
    selectWorker: '选择 {name}',
    loadMore: '加载更多',
    status_AT_HOME: '在家',
    status_TRAVELLING: '在途',
    status_AT_WORK: '在岗',
    status_OBSERVATION: '医学观察',
    tripTitle: '一车一方案',
    tripPlan: '计划行程',
    tripMode: '交通方式',
    mode_BUS: '汽车',
    mode_TRAIN: '火车',
    mode_FLIGHT: '飞机',
    tripVehicle: '车牌/车次/航班号',
    tripOrigin: '出发地（区划代码）',
    tripDestination: '目的地（区划代码）',
    tripDeparture: '出发时间',
    tripArrival: '预计到达时间',
    tripCapacity: '核定载客',
    tripHeading: '{vehicle}：{origin} → {destination}',
    tripStatus_PLANNED: '已计划',
    tripStatus_DEPARTED: '已出发',
    tripStatus_ARRIVED: '已到达',
    tripStatus_HANDED_OVER: '已交接',
    tripStatus_CANCELLED: '已取消',
    tripDepartsAt: '出发 {at}',
    tripSeats: '乘客 {n} / {capacity}',
    tripAssign: '安排所选 {n} 人上车',
    tripBoard: '登记上车（发车）',
    manifest: '乘客名单',
    gatePresented: '到场',
    gateTemperature: '体温 (°C)',
    gateOutcome: '结果',
    unknownWorker: '（户籍省暂无法读取）',
    gatePresentedOf: '{name} 到场',
    gateTemperatureOf: '{name} 的体温',
    gateBoarded: '已上车',
    gateAssigned: '已安排',
    refusal_FEVER: '发热，未上车',
    refusal_HEALTH_CODE: '健康码不符，未上车',
    refusal_NO_HEALTH_RECORD: '无健康记录，未上车',
    refusal_ABSENT: '未到场',
    requestsTitle: '为本辖区工人提交的返岗申请',
    requestsCount: '共 {n} 条',
    liveLost: '实时更新已中断',
    liveOn: '实时更新中',
    requestEnterprise: '企业',
    requestDeparture: '出发地',
    requestReturnDate: '计划返岗日期',
    requestFiledAt: '提交时间',
    request_FILED: '已提交',
    request_ACKNOWLEDGED: '已受理',
    request_ARRANGED: '已安排行程',
    request_ON_POST: '已到岗',
    request_WITHDRAWN: '企业已撤回',
    request_DECLINED: '工人已谢绝',
    importTitle: '导入务工人员名册',
    importHint:
      'CSV（UTF-8 或 GB18030）或 XLSX（第一个工作表），首行为表头：姓名、身份证号、手机号码、户籍地区划代码，可选技能、建档立卡贫困户。规则与命令行 npm run import-workers 相同；未导入的行只列行号、代码和原因。',
    importFile: '名册文件',
    importRunning: '导入中…',
    importStart: '开始导入',
    importProgress: '导入进度',
    importProgressText: '已处理 {done} / {rows} 行',
    importFailed: '导入未能完成',
    importRows: '读取行数',
    importRegistered: '已登记',
    importRejected: '未导入',
    importCalls: '调用次数',
    rejectsTitle: '未导入的行',
    rejectsDownload: '下载未导入清单（CSV）',
    rejectLine: '行号',
    rejectCode: '代码',
    rejectReason: '原因',
  },
  en: {
    title: 'Worklist',
    tab_workers: 'Workers and trips',
    tab_requests: 'Return requests',
    tab_import: 'Registry import',
    workersTitle: 'Workers',
    filters: 'Filters',
    homeRegion: 'Home region',
    wholeScope: 'Whole region',
    status: 'Status',
    anyStatus: 'Any status',
    intentDestination: 'Intended destination (region code)',
    intentFrom: 'Intent from',
    intentTo: 'Intent until',
    search: 'Search',
    loading: 'Loading…',
    workerCount: '{total} workers, {shown} shown',
    selectedCount: '{n} chosen',
    selectAllShown: 'Choose every worker shown',
    name: 'Name',
    travelIntent: 'Travel intent',
    healthCode: 'Health code',
    selectWorker: 'Choose {name}',
    loadMore: 'Load more',
    status_AT_HOME: 'At home',
    status_TRAVELLING: 'Travelling',
    status_AT_WORK: 'At work',
    status_OBSERVATION: 'Under observation',
    tripTitle: 'One vehicle, one plan',
    tripPlan: 'Plan the trip',
    tripMode: 'Mode',
    mode_BUS: 'Bus',
    mode_TRAIN: 'Train',
    mode_FLIGHT: 'Flight',
    tripVehicle: 'Plate, train or flight',
    tripOrigin: 'Origin (region code)',
    tripDestination: 'Destination (region code)',
    tripDeparture: 'Departure',
    tripArrival: 'Expected arrival',
    tripCapacity: 'Capacity',
    tripHeading: '{vehicle}: {origin} → {destination}',
    tripStatus_PLANNED: 'Planned',
    tripStatus_DEPARTED: 'Departed',
    tripStatus_ARRIVED: 'Arrived',
    tripStatus_HANDED_OVER: 'Handed over',
    tripStatus_CANCELLED: 'Cancelled',
    tripDepartsAt: 'departs {at}',
    tripSeats: '{n} / {capacity} passengers',
    tripAssign: 'Put the {n} chosen on the trip',
    tripBoard: 'Record boarding (depart)',
    manifest: 'Manifest',
    gatePresented: 'Presented',
    gateTemperature: 'Temperature (°C)',
    gateOutcome: 'Outcome',
    unknownWorker: '(home province unavailable)',
    gatePresentedOf: '{name} presented',
    gateTemperatureOf: 'Temperature of {name}',
    gateBoarded: 'Boarded',
    gateAssigned: 'Assigned',
    refusal_FEVER: 'Fever: stayed off',
    refusal_HEALTH_CODE: 'Health code: stayed off',
    refusal_NO_HEALTH_RECORD: 'No health record: stayed off',
    refusal_ABSENT: 'Absent',
    requestsTitle: "Return requests filed for the region's workers",
    requestsCount: '{n} requests',
    liveLost: 'Live updates interrupted',
    liveOn: 'Live',
    requestEnterprise: 'Enterprise',
    requestDeparture: 'Departure',
    requestReturnDate: 'Planned return',
    requestFiledAt: 'Filed',
    request_FILED: 'Filed',
    request_ACKNOWLEDGED: 'Acknowledged',
    request_ARRANGED: 'Trip arranged',
    request_ON_POST: 'On post',
    request_WITHDRAWN: 'Withdrawn',
    request_DECLINED: 'Declined',
    importTitle: 'Import a worker registry',
    importHint:
      'CSV (UTF-8 or GB18030) or XLSX (first sheet), a header row first: name, idNumber, phone, homeRegion, optionally skills and povertyStatus (or their Chinese headings). The same rules as npm run import-workers; refused rows are listed by line, code and reason only.',
    importFile: 'Registry file',
    importRunning: 'Importing…',
    importStart: 'Import',
    importProgress: 'Import progress',
    importProgressText: '{done} / {rows} rows done',
    importFailed: 'The import could not finish',
    importRows: 'Rows read',
    importRegistered: 'Registered',
    importRejected: 'Not imported',
    importCalls: 'Calls',
    rejectsTitle: 'Rows not imported',
    rejectsDownload: 'Download the rows not imported (CSV)',
    rejectLine: 'Line',
    rejectCode: 'Code',
    rejectReason: 'Reason',
  },
};
