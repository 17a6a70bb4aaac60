import type { Messages } from '../../i18n/language';

type Key =
  | 'title'
  | 'intro'
  | 'region'
  | 'live'
  | 'connecting'
  | 'reconnecting'
  | 'stopped'
  | 'connection'
  | 'cursorExpired'
  | 'noRegion'
  | 'moreTrips'
  | 'dismiss'
  | 'loading'
  | 'tripsCaption'
  | 'noTrips'
  | 'vehicle'
  | 'origin'
  | 'eta'
  | 'status'
  | 'headcount'
  | 'passengers'
  | 'actions'
  | 'details'
  | 'hideDetails'
  | 'arriving'
  | 'late'
  | 'inMinutes'
  | 'lateMinutes'
  | 'boardedOf'
  | 'counted'
  | 'mismatch'
  | 'stops'
  | 'status_PLANNED'
  | 'status_DEPARTED'
  | 'status_ARRIVED'
  | 'status_HANDED_OVER'
  | 'status_CANCELLED'
  | 'stopStatus_PENDING'
  | 'stopStatus_ARRIVED'
  | 'stopStatus_HANDED_OVER'
  | 'mode_BUS'
  | 'mode_TRAIN'
  | 'mode_FLIGHT'
  | 'kind_PLANNED'
  | 'kind_DEPARTED'
  | 'kind_ETA_CHANGED'
  | 'kind_ARRIVED'
  | 'kind_HANDED_OVER'
  | 'kind_CANCELLED'
  | 'passengersCaption'
  | 'worker'
  | 'home'
  | 'phone'
  | 'health'
  | 'boarded'
  | 'notBoarded'
  | 'gateTemperature'
  | 'alightAt'
  | 'arrivalTemperature'
  | 'missing'
  | 'unavailable'
  | 'yes'
  | 'no'
  | 'confirmTitle'
  | 'stop'
  | 'arrivedAt'
  | 'checksLegend'
  | 'checksHint'
  | 'temperatureOf'
  | 'handedOverTo'
  | 'confirm'
  | 'confirming'
  | 'confirmed'
  | 'handOverTitle'
  | 'receiver'
  | 'handOver'
  | 'handingOver'
  | 'handedOver'
  | 'noStopToConfirm'
  | 'noStopToHandOver'
  | 'errors'
  | 'observationsTitle'
  | 'observationsCaption'
  | 'noObservations'
  | 'observationRegion'
  | 'kind'
  | 'site'
  | 'reason'
  | 'started'
  | 'ends'
  | 'trip'
  | 'obsKind_HOME'
  | 'obsKind_CENTRALISED'
  | 'reason_FEVER_AT_ARRIVAL'
  | 'reason_ORDERED'
  | 'logTitle'
  | 'noEvents'
  | 'whileClosed'
  | 'stopAt';

/** The arrivals board's messages. */
export const ARRIVALS_MESSAGES: Messages<Key> = {
  zh: {
    title: '到达看板',
    intro: '开往本辖区的车次，实时更新；重新打开页面后会补上关闭期间发生的变化。',
    region: '辖区',
    live: '实时连接中',
    connecting: '正在连接',
    reconnecting: '连接中断，正在重连',
    stopped: '实时更新已停止',
    connection: '连接状态',
    cursorExpired:
      '无法从上次的断点续接（已超出各省保留期、省级数据已从备份恢复，或断点无效），已按当前状态重新加载车次列表；关闭期间的事件无法补收。',
    noRegion: '您的账号没有辖区，无法查看到达看板。',
    moreTrips: '显示 {shown} 个，共 {total} 个当前车次；其余车次有新动态时会出现在看板上。',
    dismiss: '知道了',
    loading: '正在加载…',
    tripsCaption: '开往本辖区的车次',
    noTrips: '暂无开往本辖区的车次',
    vehicle: '车辆',
    origin: '出发地',
    eta: '预计到达',
    status: '状态',
    headcount: '人数',
    passengers: '乘客',
    actions: '操作',
    details: '详情与到达确认',
    hideDetails: '收起',
    arriving: '即将到达',
    late: '已超过预计到达时间',
    inMinutes: '{n} 分钟后',
    lateMinutes: '晚点 {n} 分钟',
    boardedOf: '已上车 {boarded} / 名单 {listed}',
    counted: '到达清点 {n}',
    mismatch: '人数不符',
    stops: '停靠点',
    status_PLANNED: '已计划',
    status_DEPARTED: '已出发',
    status_ARRIVED: '已到达',
    status_HANDED_OVER: '已交接',
    status_CANCELLED: '已取消',
    stopStatus_PENDING: '待到达',
    stopStatus_ARRIVED: '已到达',
    stopStatus_HANDED_OVER: '已交接',
    mode_BUS: '汽车',
    mode_TRAIN: '列车',
    mode_FLIGHT: '航班',
    kind_PLANNED: '计划车次',
    kind_DEPARTED: '出发',
    kind_ETA_CHANGED: '预计到达时间变更',
    kind_ARRIVED: '到达',
    kind_HANDED_OVER: '交接',
    kind_CANCELLED: '取消',
    passengersCaption: '{vehicle} 的乘客',
    worker: '姓名',
    home: '户籍地',
    phone: '电话',
    health: '健康码',
    boarded: '上车',
    notBoarded: '未上车',
    gateTemperature: '上车体温',
    alightAt: '下车站',
    arrivalTemperature: '到达体温',
    missing: '到达时缺席',
    unavailable: '无法读取（所属省份未应答）',
    yes: '是',
    no: '否',
    confirmTitle: '确认到达',
    stop: '停靠点',
    arrivedAt: '到达时间',
    checksLegend: '到达检查：体温（°C）',
    checksHint: '留空表示未检查该乘客；发热者将在本地开始隔离观察。',
    temperatureOf: '{name} 的体温',
    handedOverTo: '交接给（可选）',
    confirm: '确认到达',
    confirming: '正在提交…',
    confirmed: '已确认到达',
    handOverTitle: '交接',
    receiver: '接收单位或接收人',
    handOver: '交接',
    handingOver: '正在提交…',
    handedOver: '已交接',
    noStopToConfirm: '没有待到达的停靠点',
    noStopToHandOver: '没有已到达、待交接的停靠点',
    errors: '出错了',
    observationsTitle: '本辖区正在进行的隔离观察',
    observationsCaption: '隔离观察（进行中）',
    noObservations: '暂无进行中的隔离观察',
    observationRegion: '地点',
    kind: '方式',
    site: '观察点',
    reason: '原因',
    started: '开始',
    ends: '期满',
    trip: '车次',
    obsKind_HOME: '居家',
    obsKind_CENTRALISED: '集中',
    reason_FEVER_AT_ARRIVAL: '到达检查发热',
    reason_ORDERED: '到达地安排',
    logTitle: '事件记录（最新在前）',
    noEvents: '尚未收到事件',
    whileClosed: '关闭期间发生',
    stopAt: '停靠点：{name}',
  },
  en: {
    title: 'Arrivals board',
    intro:
      'Trips into your region, updated live; when you open the page again it catches up with what happened while it was closed.',
    region: 'Region',
    live: 'Live',
    connecting: 'Connecting',
    reconnecting: 'Connection lost, reconnecting',
    stopped: 'Live updates stopped',
    connection: 'Connection',
    cursorExpired:
      'The board could not resume from where it stopped (older than the provinces keep, a province restored from a backup, or an invalid resume point): the list was reloaded from the current state; events of the time the board was closed cannot be replayed.',
    noRegion: 'Your account has no region: there is no arrivals board for it.',
    moreTrips:
      'Showing {shown} of {total} current trips; the others appear here when something happens to them.',
    dismiss: 'Dismiss',
    loading: 'Loading…',
    tripsCaption: 'Trips into your region',
    noTrips: 'No trips into your region',
    vehicle: 'Vehicle',
    origin: 'Origin',
    eta: 'ETA',
    status: 'Status',
    headcount: 'Headcount',
    passengers: 'Passengers',
    actions: 'Actions',
    details: 'Details and arrival',
    hideDetails: 'Hide',
    arriving: 'Arriving',
    late: 'Past its ETA',
    inMinutes: 'in {n} min',
    lateMinutes: '{n} min late',
    boardedOf: '{boarded} boarded / {listed} listed',
    counted: 'counted {n}',
    mismatch: 'headcount mismatch',
    stops: 'Stops',
    status_PLANNED: 'Planned',
    status_DEPARTED: 'Departed',
    status_ARRIVED: 'Arrived',
    status_HANDED_OVER: 'Handed over',
    status_CANCELLED: 'Cancelled',
    stopStatus_PENDING: 'pending',
    stopStatus_ARRIVED: 'arrived',
    stopStatus_HANDED_OVER: 'handed over',
    mode_BUS: 'Bus',
    mode_TRAIN: 'Train',
    mode_FLIGHT: 'Flight',
    kind_PLANNED: 'Planned',
    kind_DEPARTED: 'Departed',
    kind_ETA_CHANGED: 'ETA changed',
    kind_ARRIVED: 'Arrived',
    kind_HANDED_OVER: 'Handed over',
    kind_CANCELLED: 'Cancelled',
    passengersCaption: 'Passengers of {vehicle}',
    worker: 'Name',
    home: 'Home',
    phone: 'Phone',
    health: 'Health code',
    boarded: 'Boarded',
    notBoarded: 'Not boarded',
    gateTemperature: 'Temperature at boarding',
    alightAt: 'Alights at',
    arrivalTemperature: 'Temperature at arrival',
    missing: 'Missing at arrival',
    unavailable: 'Unavailable (home province did not answer)',
    yes: 'yes',
    no: 'no',
    confirmTitle: 'Confirm arrival',
    stop: 'Stop',
    arrivedAt: 'Arrived at',
    checksLegend: 'Arrival checks: temperature (°C)',
    checksHint: 'Leave empty for a passenger not checked; a fever starts observation here.',
    temperatureOf: 'Temperature of {name}',
    handedOverTo: 'Hand over to (optional)',
    confirm: 'Confirm arrival',
    confirming: 'Sending…',
    confirmed: 'Arrival confirmed',
    handOverTitle: 'Hand-over',
    receiver: 'Receiver',
    handOver: 'Hand over',
    handingOver: 'Sending…',
    handedOver: 'Handed over',
    noStopToConfirm: 'No stop is waiting for its arrival',
    noStopToHandOver: 'No arrived stop is waiting for its hand-over',
    errors: 'Something went wrong',
    observationsTitle: 'Active observations in your region',
    observationsCaption: 'Observations (active)',
    noObservations: 'No active observation',
    observationRegion: 'Where',
    kind: 'Kind',
    site: 'Site',
    reason: 'Reason',
    started: 'Started',
    ends: 'Ends',
    trip: 'Trip',
    obsKind_HOME: 'At home',
    obsKind_CENTRALISED: 'Centralised',
    reason_FEVER_AT_ARRIVAL: 'Fever at the arrival check',
    reason_ORDERED: 'Ordered by the receiving place',
    logTitle: 'Event log (newest first)',
    noEvents: 'No event received yet',
    whileClosed: 'while the board was closed',
    stopAt: 'stop: {name}',
  },
};

/** A message key of the board. */
export type ArrivalsMessageKey = Key;
